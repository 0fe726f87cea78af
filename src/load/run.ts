import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { combinedSummary, type DeliverySummary, type MissedDelivery } from '../mattermost/delivery.js';
import { describeFailure } from '../mattermost/request-failure.js';
import { HarnessMonitor } from '../metrics/harness-monitor.js';
import { Heartbeat, type TickListener } from '../metrics/heartbeat.js';
import { type ListenAddress, startPrometheusEndpoint } from '../metrics/prometheus.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { ProgressDisplay } from '../report/progress.js';
import { buildSummary, exitCodeFor, type SummaryInput, writeSummary } from '../report/summary.js';
import { TimeseriesWriter } from '../report/timeseries.js';
import { writeReports } from '../report/write-reports.js';
import { credentialsFile, requireCredentials, type SeedCredentials } from '../seed/credentials.js';
import { seedForRun } from '../seed/seed-for-run.js';
import type { StackDocument } from '../stack/stack-document.js';
import type { Summary } from '../summary/summary-schema.js';
import { startDrift } from '../verdict/drift-run.js';
import { targetSet, targetThresholds } from '../verdict/target-sets.js';
import { parseThresholds, type Threshold } from '../verdict/thresholds.js';
import { AbortOnFail } from '../verdict/thresholds-abort.js';
import { createBehaviour, type RunBehaviour } from './behaviour-factory.js';
import { CallsLoad } from './calls/calls-load.js';
import { withCallsLength } from './calls/calls-schema.js';
import { createExecutor, type ScenarioExecutor } from './executors/create-executor.js';
import { applyOverrides, type RunOverrides } from './overrides.js';
import { preparationFigures } from './preparation-figures.js';
import { logsUsersIn, type ScenarioFile } from './scenario.js';
import type { ExecutorContext } from './types.js';

// One run: seed, prepare every scenario's VUs, drive them side by side, watch thresholds and the
// harness every second, then drain deliveries and write summary.json and timeseries.ndjson.

export interface RunOptions {
  scenario: ScenarioFile;
  scenarioFile: string;
  stack: StackDocument;
  adminPassword: string;
  stateDir: string;
  outDir: string;
  overrides?: RunOverrides;
  /** Seed of every random choice; the same seed repeats the same action sequence. */
  seed?: string;
  prometheus?: ListenAddress;
  /** Aborting ends the run early (SIGINT); the summary is then marked partial. */
  signal?: AbortSignal;
  argv: readonly string[];
  /** Lines for the operator (stderr). */
  log: (line: string) => void;
  /** Extra per-second listeners (a drill's per-second observer hooks in here). */
  listeners?: TickListener[];
  /** Called the moment the load starts (its `performance.now()`), with the time series: a drill starts its fault timeline here. */
  onLoadStart?: (start: { perfNow: number; timeseries: TimeseriesWriter }) => void;
  /** Lets a drill add fault verdicts and audits before the summary is written. */
  finish?: (
    result: RunInternals,
  ) => Promise<Pick<SummaryInput, 'faults' | 'audits' | 'otherFailures' | 'steadyState'>>;
  /** A drill names itself in the summary and reports. */
  drill?: SummaryInput['drill'];
  /** Disable the live progress display (tests). */
  quiet?: boolean;
}

/** What a drill needs from a finished run to judge faults and audit deliveries. */
export interface RunInternals {
  registry: MetricsRegistry;
  timeseries: TimeseriesWriter;
  delivery: DeliverySummary;
  missed: MissedDelivery[];
  acknowledgedPosts: readonly string[];
  credentials: SeedCredentials | null;
}

export interface RunResult {
  summary: Summary;
  exitCode: number;
  outDir: string;
}

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const { scenario, stack, log } = options;
  await mkdir(options.outDir, { recursive: true });
  const credentials = await seedIfNeeded(options);

  const startedAt = new Date();
  const registry = new MetricsRegistry({ startedAt: startedAt.getTime() });
  const thresholds = collectThresholds(scenario);
  const entries = Object.entries(applyOverrides(scenario.scenarios, options.overrides ?? {}));
  const behaviours: RunBehaviour[] = [];
  const executors: { name: string; executor: ScenarioExecutor; ctx: ExecutorContext }[] = [];
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  // Scenarios use disjoint ranges of the seeded accounts, so no user is two VUs at once.
  let userOffset = 0;
  for (const [name, entry] of entries) {
    const behaviour = createBehaviour(entry, {
      scenario: scenario,
      metrics: registry,
      stack,
      credentials,
      seed: `${options.seed ?? startedAt.getTime()}:${name}`,
      userOffset,
    });
    userOffset += behaviour.maxVus;
    behaviours.push(behaviour);
    // Failed iterations are in the metrics; the operator sees the first of each scenario.
    let reported = false;
    const executor = createExecutor(entry, {
      onVuInitError: (error, vu) =>
        log(`scenario ${name}: VU ${vu} could not start: ${(error as Error).message}`),
      onIterationError: (error) => {
        if (reported) return;
        reported = true;
        log(
          `scenario ${name}: first failed iteration: ${describeFailure(error)} (later failures are counted, not printed)`,
        );
      },
    });
    executors.push({
      name,
      executor,
      ctx: { scenario: name, behaviour: behaviour.behaviour, metrics: registry, signal: stop.signal },
    });
  }

  // Calls participants take the seeded accounts after every scenario's VUs.
  const durationOverride = options.overrides?.durationMs;
  const calls = scenario.calls
    ? new CallsLoad({
        section:
          durationOverride === undefined ? scenario.calls : withCallsLength(scenario.calls, durationOverride),
        baseUrl: stack.url,
        credentials: credentials ?? (await requireCredentials(credentialsFile('small', options.stateDir))),
        userOffset,
        metrics: registry,
        runTag: startedAt.getTime().toString(36),
        log,
      })
    : null;

  const timeseries = new TimeseriesWriter(join(options.outDir, 'timeseries.ndjson'));
  const monitor = new HarnessMonitor(registry);
  const totalMs = Math.max(
    0,
    calls?.maxDurationMs() ?? 0,
    ...executors.map((e) => e.executor.maxDurationMs()),
  );
  const progress = options.quiet ? null : new ProgressDisplay({ totalMs });
  const heartbeat = new Heartbeat({ registry, monitor })
    .on(timeseries.listener())
    .on(new AbortOnFail(thresholds, registry).listener(stop));
  if (progress) heartbeat.on(progress.listener());
  const drift = scenario.drift ? startDrift(scenario.drift, stack) : null;
  if (drift) heartbeat.on(drift.listener);
  for (const listener of options.listeners ?? []) heartbeat.on(listener);
  const prometheus = options.prometheus ? await startPrometheusEndpoint(registry, options.prometheus) : null;
  if (prometheus) log(`prometheus metrics at ${prometheus.url}`);

  let partial = false;
  let preparation: ReturnType<typeof preparationFigures> | undefined;
  try {
    const pieces = [...executors.map((e) => `${e.name} (${e.executor.type})`), ...(calls ? ['calls'] : [])];
    log(`preparing ${pieces.join(', ')}…`);
    const preparingSince = performance.now();
    await Promise.all([...executors.map((e) => e.executor.prepare(e.ctx)), calls?.prepare(stop.signal)]);
    preparation = preparationFigures(registry, performance.now() - preparingSince);
    monitor.start();
    heartbeat.start();
    options.onLoadStart?.({ perfNow: performance.now(), timeseries });
    log(`running ${scenario.name} against ${stack.url} for up to ${Math.round(totalMs / 1000)} s`);
    await Promise.all([...executors.map((e) => e.executor.run(e.ctx)), calls?.run(stop.signal)]);
  } finally {
    partial = stop.signal.aborted;
    options.signal?.removeEventListener('abort', onOuterAbort);
    await Promise.all([...behaviours.map((b) => b.behaviour.close()), calls?.close()]);
    heartbeat.stop();
    progress?.stop();
    monitor.stop();
    await prometheus?.close();
  }

  const delivery = combinedSummary(behaviours.map((b) => b.tracker()));
  const internals: RunInternals = {
    registry,
    timeseries,
    delivery,
    missed: behaviours.flatMap((b) => [...b.missedDeliveries()]),
    acknowledgedPosts: behaviours.flatMap((b) => b.acknowledgedPosts()),
    credentials,
  };
  const extra = options.finish ? await options.finish(internals) : {};
  const driftReport = await drift?.finish(Date.now() - startedAt.getTime());
  timeseries.close();
  const summary = buildSummary({
    registry,
    thresholds,
    harness: monitor.report(),
    startedAt,
    endedAt: new Date(),
    argv: options.argv,
    scenario: { name: scenario.name, file: options.scenarioFile, scenarios: entries.map(([name]) => name) },
    environment: { name: stack.name, provider: stack.provider, url: stack.url },
    partial,
    deliveryPosts: delivery.posts,
    ...(preparation !== undefined && { preparation }),
    ...(scenario.targets !== 'none' && { targets: { set: targetSet(scenario.targets) } }),
    ...extra,
    ...(options.drill && { drill: options.drill }),
    ...(driftReport && { drift: driftReport }),
  });
  await writeSummary(join(options.outDir, 'summary.json'), summary);
  const reports = await writeReports(options.outDir);
  log(`reports: ${reports.files.join(', ')}`);
  return { summary, exitCode: exitCodeFor(summary.verdict), outDir: options.outDir };
}

function seedIfNeeded(options: RunOptions): Promise<SeedCredentials | null> {
  const { scenario } = options;
  const needsUsers = scenario.calls !== undefined || Object.values(scenario.scenarios).some(logsUsersIn);
  return seedForRun({
    shape: scenario.seed,
    needsUsers,
    stack: options.stack,
    adminPassword: options.adminPassword,
    stateDir: options.stateDir,
    log: options.log,
    ...(options.signal && { signal: options.signal }),
  });
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
