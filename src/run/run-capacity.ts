import { capacityFailures, capacitySentence } from '../capacity/capacity-report.js';
import { CapacitySearch, type CapacitySecond } from '../capacity/capacity-search.js';
import type { CapacitySettings } from '../capacity/settings.js';
import { createBehaviour } from '../load/behaviour-factory.js';
import { ExternallyControlled } from '../load/executors/externally-controlled.js';
import { reportingHooks } from '../load/executors/reporting-hooks.js';
import { logsUsersIn, type ScenarioFile } from '../load/scenario.js';
import { type RunResult, RunSession, type SessionOptions } from './session.js';

// `mmdrill capacity`: a session around a capacity search. The search (capacity/) decides every
// second how many users an externally-controlled executor (load/executors/) drives, until it
// settles; then summary.json with its `capacity` block, the time series and the reports.

export type { CapacitySecond } from '../capacity/capacity-search.js';

export interface CapacityRunOptions extends SessionOptions {
  scenario: ScenarioFile;
  scenarioFile: string;
  settings: CapacitySettings;
  /** Called after every second's decision (tests, progress). */
  onSecond?: (second: CapacitySecond) => void;
}

export async function runCapacity(options: CapacityRunOptions): Promise<RunResult> {
  const { scenario, stack, settings, log } = options;
  const entry = scenario.scenarios[settings.scenarioName]!;
  const session = await RunSession.open(options, { shape: scenario.seed, needsUsers: logsUsersIn(entry) });
  const behaviour = createBehaviour(entry, {
    scenario,
    metrics: session.registry,
    stack,
    credentials: session.credentials,
    seed: `${session.randomSeed}:${settings.scenarioName}`,
    userOffset: 0,
  });
  const users = new ExternallyControlled(
    {
      scenario: settings.scenarioName,
      behaviour: behaviour.behaviour,
      metrics: session.registry,
      signal: session.signal,
    },
    settings.maxUsers,
    { hooks: reportingHooks(log, '') },
  );
  const search = new CapacitySearch({
    settings,
    stack,
    users,
    events: session.timeseries,
    log,
    ...(options.onSecond && { onSecond: options.onSecond }),
  });
  try {
    try {
      search.start(session.signal);
      await session.startClock({ listeners: [search.listener] });
      log(
        `capacity of ${stack.url} with scenario ${scenario.name}/${settings.scenarioName}: ${search.describe()}`,
      );
      await search.done;
    } finally {
      await session.stopClock();
      search.stop();
      await users.stop();
      await behaviour.behaviour.close();
    }
    const capacity = search.report({
      interrupted: session.interrupted,
      startedAtMs: session.startedAt.getTime(),
    });
    return await session.finish(
      {
        thresholds: [],
        scenario: { name: scenario.name, file: options.scenarioFile, scenarios: [settings.scenarioName] },
        deliveryPosts: behaviour.tracker().summary().posts,
        otherFailures: capacityFailures(capacity, settings),
        capacity,
      },
      // A pass here passes no thresholds (there are none): say what was found instead.
      { partial: session.interrupted, passReason: capacitySentence(capacity) },
    );
  } finally {
    await session.close();
  }
}
