import type { RunOverrides } from '../load/overrides.js';
import { preparationFigures } from '../load/preparation-figures.js';
import { logsUsersIn, type ScenarioFile } from '../load/scenario.js';
import { type LoadOutcome, ScenarioLoad } from '../load/scenario-load.js';
import type { TickListener } from '../metrics/heartbeat.js';
import type { SummaryInput } from '../report/summary.js';
import { startDrift } from '../verdict/drift-run.js';
import { targetSet, targetThresholds } from '../verdict/target-sets.js';
import { parseThresholds, type Threshold } from '../verdict/thresholds.js';
import { AbortOnFail } from '../verdict/thresholds-abort.js';
import { type RunResult, RunSession, type SessionOptions } from './session.js';

// `mmdrill run`: a session around the load of a scenario file — seed, prepare every scenario's
// VUs, drive them side by side, watch thresholds and the harness every second, then drain
// deliveries and write the summary. A drill (run-drill.ts) drives the same load through
// driveScenarioLoad() with its fault timeline and judges more before the summary.

export interface RunOptions extends SessionOptions {
  scenario: ScenarioFile;
  scenarioFile: string;
  overrides?: RunOverrides;
}

/** Around the load: what a drill adds (its per-second observer, the start of its faults). */
export interface LoadAround {
  listeners?: readonly TickListener[];
  /** The moment the load starts (`performance.now()`); events go to the session's time series. */
  onLoadStart?: (perfNow: number, session: RunSession) => void;
}

export interface DrivenLoad {
  session: RunSession;
  outcome: LoadOutcome;
  /** What the summary needs of the scenario, given to RunSession.finish. */
  summaryInput: Pick<
    SummaryInput,
    'thresholds' | 'scenario' | 'deliveryPosts' | 'targets' | 'preparation' | 'drift'
  >;
}

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const driven = await driveScenarioLoad(options);
  try {
    return await driven.session.finish(driven.summaryInput, { partial: driven.session.signal.aborted });
  } finally {
    await driven.session.close();
  }
}

/**
 * Seeds, then drives the scenario file's load to its end (or the stop signal). The session is
 * open on return; the caller finishes (or closes) it.
 */
export async function driveScenarioLoad(options: RunOptions, around: LoadAround = {}): Promise<DrivenLoad> {
  const { scenario, stack } = options;
  const session = await RunSession.open(options, {
    shape: scenario.seed,
    needsUsers: scenario.calls !== undefined || Object.values(scenario.scenarios).some(logsUsersIn),
  });
  const thresholds = collectThresholds(scenario);
  // Drift (a long run's trends) is recorded when the scenario has a drift section.
  const drift = scenario.drift ? startDrift(scenario.drift, stack) : null;
  let load: ScenarioLoad | undefined;
  let preparation: ReturnType<typeof preparationFigures> | undefined;
  try {
    load = await ScenarioLoad.create({
      scenario,
      ...(options.overrides && { overrides: options.overrides }),
      stack,
      credentials: session.credentials,
      stateDir: options.stateDir,
      registry: session.registry,
      seed: session.randomSeed,
      runTag: session.startedAt.getTime().toString(36),
      signal: session.signal,
      log: options.log,
    });
    const totalMs = load.maxDurationMs();
    session.log(`preparing ${load.describe()}…`);
    const preparingSince = performance.now();
    await load.prepare();
    preparation = preparationFigures(session.registry, performance.now() - preparingSince);
    await session.startClock({
      totalMs,
      listeners: [
        new AbortOnFail(thresholds, session.registry).listener(session.stop),
        ...(drift ? [drift.listener] : []),
        ...(around.listeners ?? []),
      ],
    });
    around.onLoadStart?.(performance.now(), session);
    session.log(`running ${scenario.name} against ${stack.url} for up to ${Math.round(totalMs / 1000)} s`);
    await load.run();
  } catch (err) {
    await drift?.finish(0).catch(() => undefined);
    await load?.close();
    await session.close();
    throw err;
  }
  await load.close();
  await session.stopClock();
  const driftReport = await drift?.finish(Date.now() - session.startedAt.getTime());
  const outcome = load.outcome();
  return {
    session,
    outcome,
    summaryInput: {
      thresholds,
      scenario: { name: scenario.name, file: options.scenarioFile, scenarios: [...load.scenarioNames] },
      deliveryPosts: outcome.delivery.posts,
      ...(preparation !== undefined && { preparation }),
      ...(driftReport !== undefined && { drift: driftReport }),
      ...(scenario.targets !== 'none' && { targets: { set: targetSet(scenario.targets) } }),
    },
  };
}

function collectThresholds(scenario: ScenarioFile): Threshold[] {
  const { thresholds } = parseThresholds(scenario.thresholds, { basePath: ['thresholds'] });
  if (scenario.targets === 'none') return thresholds;
  // A target-set check the scenario already states itself is judged (and reported) once.
  const stated = new Set(thresholds.map((t) => `${t.metric} ${t.expression}`));
  const fromTargets = targetThresholds(targetSet(scenario.targets)).filter(
    (t) => !stated.has(`${t.metric} ${t.expression}`),
  );
  return [...thresholds, ...fromTargets];
}
