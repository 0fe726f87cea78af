import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createBehaviour } from '../load/behaviour-factory.js';
import { logsUsersIn, type ScenarioFile } from '../load/scenario.js';
import { describeFailure } from '../mattermost/request-failure.js';
import { HarnessMonitor } from '../metrics/harness-monitor.js';
import { Heartbeat, type Tick } from '../metrics/heartbeat.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { buildSummary, exitCodeFor, writeSummary } from '../report/summary.js';
import { TimeseriesWriter } from '../report/timeseries.js';
import { writeReports } from '../report/write-reports.js';
import type { SeedCredentials } from '../seed/credentials.js';
import { seedForRun } from '../seed/seed-for-run.js';
import type { StackDocument } from '../stack/stack-document.js';
import type { CriterionId } from '../summary/capacity-schema.js';
import type { Summary } from '../summary/summary-schema.js';
import { evaluateCriteria } from '../verdict/capacity-criteria.js';
import { AppNodeSampler } from './app-node-metrics.js';
import { BoundedHold } from './bounded-hold.js';
import { BreachLog } from './breach-log.js';
import { buildCapacityReport, capacityFailures, capacitySentence } from './capacity-report.js';
import { type Decision, FeedbackLoop } from './feedback-loop.js';
import { harnessSecond, observe } from './observation.js';
import type { CapacitySettings } from './settings.js';
import { ControlledUserPool } from './user-pool.js';

// One `mmdrill capacity` run: seed, then every second judge the last second against the
// criteria and let the feedback loop (or the bounded hold) set the number of users, until the
// search settles; then summary.json with its `capacity` block, the time series and the reports.

export interface CapacityRunOptions {
  scenario: ScenarioFile;
  scenarioFile: string;
  stack: StackDocument;
  adminPassword: string;
  stateDir: string;
  outDir: string;
  settings: CapacitySettings;
  seed?: string;
  signal?: AbortSignal;
  argv: readonly string[];
  log: (line: string) => void;
  /** Called after every second's decision (tests, progress). */
  onSecond?: (second: CapacitySecond) => void;
}

export interface CapacitySecond {
  elapsedS: number;
  activeUsers: number;
  targetUsers: number;
  breaches: readonly CriterionId[];
  decision: Decision['kind'];
  harnessSaturated: boolean;
}

export interface CapacityRunResult {
  summary: Summary;
  exitCode: number;
  outDir: string;
}

const LOG_EVERY_S = 10;

export async function runCapacity(options: CapacityRunOptions): Promise<CapacityRunResult> {
  const { scenario, stack, settings, log } = options;
  await mkdir(options.outDir, { recursive: true });
  const credentials = await seedFor(options);
  const startedAt = new Date();
  const registry = new MetricsRegistry({ startedAt: startedAt.getTime() });
  const entry = scenario.scenarios[settings.scenarioName]!;
  const behaviour = createBehaviour(entry, {
    scenario,
    metrics: registry,
    stack,
    credentials,
    seed: `${options.seed ?? startedAt.getTime()}:${settings.scenarioName}`,
    userOffset: 0,
  });
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let reportedIterationError = false;
  const pool = new ControlledUserPool(
    {
      scenario: settings.scenarioName,
      behaviour: behaviour.behaviour,
      metrics: registry,
      signal: stop.signal,
    },
    settings.maxUsers,
    {
      hooks: {
        onVuInitError: (error, vu) => log(`user ${vu} could not start: ${(error as Error).message}`),
        onIterationError: (error) => {
          if (reportedIterationError) return;
          reportedIterationError = true;
          log(`first failed iteration: ${describeFailure(error)} (later failures are counted, not printed)`);
        },
      },
    },
  );

  const timeseries = new TimeseriesWriter(join(options.outDir, 'timeseries.ndjson'));
  const monitor = new HarnessMonitor(registry);
  const heartbeat = new Heartbeat({ registry, monitor }).on(timeseries.listener());
  const sampler = new AppNodeSampler(stack, {
    cores: settings.appNode.cores,
    ...(settings.appNode.memoryMiB !== undefined && { memoryBytes: settings.appNode.memoryMiB * 2 ** 20 }),
  });
  const breachLog = new BreachLog(settings.criteria);
  const loop = settings.bounded
    ? null
    : new FeedbackLoop({
        stepUsers: settings.step,
        restS: settings.restMs / 1000,
        settleS: settings.settleMs / 1000,
        maxUsers: settings.maxUsers,
        maxDurationS: settings.maxDurationMs / 1000,
      });
  const hold = settings.bounded ? new BoundedHold(settings, settings.bounded) : null;
  let harnessReason: string | undefined;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  stop.signal.addEventListener('abort', () => finished(), { once: true });
  const recent = new Map<CriterionId, number>();

  const onTick = (tick: Tick) => {
    if (tick.final) return;
    const elapsedS = tick.elapsedMs / 1000;
    const harness = harnessSecond(tick.interval);
    if (harness.saturated) harnessReason ??= harness.reason;
    const nodes = sampler.latest;
    const readings = evaluateCriteria(settings.criteria, observe(tick.interval, nodes));
    const active = pool.active;
    // A second in which the harness was the bottleneck measures the harness: not a breach.
    const breaches = harness.saturated ? [] : breachLog.record(elapsedS, active, readings);
    for (const id of breaches) recent.set(id, (recent.get(id) ?? 0) + 1);
    let decision: Decision;
    if (loop)
      decision = loop.next({
        t: elapsedS,
        breaches,
        harnessSaturated: harness.saturated,
        activeUsers: active,
      });
    else decision = hold!.next(elapsedS, active, tick.interval, nodes, harness.saturated);
    pool.setTarget(decision.target);
    if (breaches.length > 0)
      timeseries.writeEvent({ type: 'capacity-breach', users: active, criteria: breaches });
    options.onSecond?.({
      elapsedS,
      activeUsers: active,
      targetUsers: decision.target,
      breaches,
      decision: decision.kind,
      harnessSaturated: harness.saturated,
    });
    if (Math.floor(elapsedS) % LOG_EVERY_S === 0) {
      const seen = [...recent].map(([id, n]) => `${id}×${n}`).join(', ');
      log(
        `${Math.round(elapsedS)} s: ${active} users active (target ${decision.target})${seen ? `; breaches: ${seen}` : ''}`,
      );
      recent.clear();
    }
    if (decision.kind === 'stop') finished();
  };
  heartbeat.on(onTick);

  try {
    sampler.start();
    monitor.start();
    heartbeat.start();
    const mode = settings.bounded
      ? `holding ${settings.bounded.users} users for ${Math.round(settings.bounded.holdMs / 1000)} s`
      : `searching: step ${settings.step}, rest ${settings.restMs / 1000} s, settle window ${settings.settleMs / 1000} s, at most ${settings.maxUsers} users`;
    log(`capacity of ${stack.url} with scenario ${scenario.name}/${settings.scenarioName}: ${mode}`);
    await done;
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    heartbeat.stop();
    sampler.stop();
    await pool.stop();
    await behaviour.behaviour.close();
    monitor.stop();
  }

  const endedAt = new Date();
  const interrupted = options.signal?.aborted ?? false;
  const capacity = buildCapacityReport({
    settings,
    loopOutcome: loop?.outcome ?? null,
    firstBreachS: loop?.firstBreachAtS ?? hold?.firstBreachS ?? null,
    holdOutcome: hold?.outcome() ?? null,
    interrupted,
    breachLog,
    serverSource: sampler.latest.source,
    startedAtMs: startedAt.getTime(),
    harnessReason,
  });
  timeseries.close();
  const summary = buildSummary({
    registry,
    thresholds: [],
    harness: monitor.report(),
    startedAt,
    endedAt,
    argv: options.argv,
    scenario: { name: scenario.name, file: options.scenarioFile, scenarios: [settings.scenarioName] },
    environment: { name: stack.name, provider: stack.provider, url: stack.url },
    partial: interrupted,
    deliveryPosts: behaviour.tracker().summary().posts,
    otherFailures: capacityFailures(capacity, settings),
    capacity,
  });
  // A pass here passes no thresholds (there are none): say what was found instead.
  if (summary.verdict === 'pass') summary.reason = capacitySentence(capacity);
  await writeSummary(join(options.outDir, 'summary.json'), summary);
  const reports = await writeReports(options.outDir);
  log(`reports: ${reports.files.join(', ')}`);
  return { summary, exitCode: exitCodeFor(summary.verdict), outDir: options.outDir };
}

/** Seeds the scenario's data set when its users log in; null credentials when none is needed. */
function seedFor(options: CapacityRunOptions): Promise<SeedCredentials | null> {
  const { scenario, settings } = options;
  return seedForRun({
    shape: scenario.seed,
    needsUsers: logsUsersIn(scenario.scenarios[settings.scenarioName]!),
    stack: options.stack,
    adminPassword: options.adminPassword,
    stateDir: options.stateDir,
    log: options.log,
    ...(options.signal && { signal: options.signal }),
  });
}
