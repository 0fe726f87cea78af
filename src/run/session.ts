import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HarnessMonitor } from '../metrics/harness-monitor.js';
import { Heartbeat, type TickListener } from '../metrics/heartbeat.js';
import {
  type ListenAddress,
  type PrometheusEndpoint,
  startPrometheusEndpoint,
} from '../metrics/prometheus.js';
import { MetricsRegistry } from '../metrics/registry.js';
import { ProgressDisplay } from '../report/progress.js';
import { buildSummary, type SummaryInput, writeSummary } from '../report/summary.js';
import { TimeseriesWriter } from '../report/timeseries.js';
import { writeReports } from '../report/write-reports.js';
import type { SeedCredentials } from '../seed/credentials.js';
import { seedForRun } from '../seed/seed-for-run.js';
import type { StackDocument } from '../stack/stack-document.js';
import type { Summary } from '../summary/summary-schema.js';
import { egressFailures, egressReport } from '../verdict/egress.js';
import { exitCodeFor } from '../verdict/verdict.js';

// The part every run shares, whether `mmdrill run`, a drill or a capacity search: the output
// directory, seeding, the metrics registry, the heartbeat with the harness monitor, the time
// series, the live progress and the Prometheus endpoint, the stop signal (an interrupt or an
// abort-on-fail threshold), and at the end the summary and the reports. What differs (how the
// users are driven, what is judged besides thresholds) is the caller's: run-scenario.ts,
// run-drill.ts and run-capacity.ts next to this file.

export interface SessionOptions {
  stack: StackDocument;
  adminPassword: string;
  stateDir: string;
  outDir: string;
  /** Seed of every random choice; the same seed repeats the same action sequence. */
  seed?: string;
  prometheus?: ListenAddress;
  /** An interrupt (SIGINT): the run winds down and its summary is marked partial. */
  signal?: AbortSignal;
  argv: readonly string[];
  /** Lines for the operator (stderr). */
  log: (line: string) => void;
  /** Disable the live progress display (tests). */
  quiet?: boolean;
}

export interface RunResult {
  summary: Summary;
  exitCode: number;
  outDir: string;
}

export interface ClockOptions {
  /** The longest the run can last: shown by the live progress display (none without it). */
  totalMs?: number;
  /** Extra per-second listeners (thresholds that abort, a drill's observer, a capacity search). */
  listeners?: readonly TickListener[];
}

/** What the session fills in itself; the caller gives the rest of the summary. */
type SessionFields = 'registry' | 'harness' | 'startedAt' | 'endedAt' | 'argv' | 'environment' | 'partial';

export class RunSession {
  /** Aborted by the interrupt or by the run itself (a threshold with abortOnFail). */
  readonly stop = new AbortController();
  readonly registry: MetricsRegistry;
  readonly startedAt: Date;
  readonly timeseries: TimeseriesWriter;
  private readonly monitor: HarnessMonitor;
  private readonly heartbeat: Heartbeat;
  private progress: ProgressDisplay | null = null;
  private prometheus: PrometheusEndpoint | null = null;
  private readonly unlink: () => void;

  private constructor(
    readonly options: SessionOptions,
    readonly credentials: SeedCredentials | null,
  ) {
    this.startedAt = new Date();
    this.registry = new MetricsRegistry({ startedAt: this.startedAt.getTime() });
    this.timeseries = new TimeseriesWriter(join(options.outDir, 'timeseries.ndjson'));
    this.monitor = new HarnessMonitor(this.registry);
    this.heartbeat = new Heartbeat({ registry: this.registry, monitor: this.monitor }).on(
      this.timeseries.listener(),
    );
    const outer = options.signal;
    const onOuterAbort = () => this.stop.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    this.unlink = () => outer?.removeEventListener('abort', onOuterAbort);
  }

  /**
   * Creates the output directory and seeds the data set the load needs (`shape`; `needsUsers`:
   * whether anyone logs in). The clock (registry, time series) starts after seeding.
   */
  static async open(
    options: SessionOptions,
    seedData: { shape: string; needsUsers: boolean },
  ): Promise<RunSession> {
    await mkdir(options.outDir, { recursive: true });
    const credentials = await seedForRun({
      shape: seedData.shape,
      needsUsers: seedData.needsUsers,
      stack: options.stack,
      adminPassword: options.adminPassword,
      stateDir: options.stateDir,
      log: options.log,
      ...(options.signal && { signal: options.signal }),
    });
    return new RunSession(options, credentials);
  }

  get signal(): AbortSignal {
    return this.stop.signal;
  }

  /** Whether the operator interrupted the run (not a threshold's abort). */
  get interrupted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  /** The seed of every random choice, `<seed>` or the start time. */
  get randomSeed(): string {
    return this.options.seed ?? String(this.startedAt.getTime());
  }

  log(line: string): void {
    this.options.log(line);
  }

  /** Starts the once-a-second beat (and the Prometheus endpoint, the progress display). */
  async startClock(clock: ClockOptions = {}): Promise<void> {
    for (const listener of clock.listeners ?? []) this.heartbeat.on(listener);
    if (clock.totalMs !== undefined && !this.options.quiet) {
      this.progress = new ProgressDisplay({ totalMs: clock.totalMs });
      this.heartbeat.on(this.progress.listener());
    }
    if (this.options.prometheus) {
      this.prometheus = await startPrometheusEndpoint(this.registry, this.options.prometheus);
      this.log(`prometheus metrics at ${this.prometheus.url}`);
    }
    this.heartbeat.start();
  }

  /** Emits the last interval and stops everything startClock started. Idempotent. */
  async stopClock(): Promise<void> {
    this.unlink();
    this.heartbeat.stop();
    this.progress?.stop();
    this.progress = null;
    await this.prometheus?.close();
    this.prometheus = null;
  }

  /** Releases everything (after an error); harmless after finish(). */
  async close(): Promise<void> {
    await this.stopClock();
    this.timeseries.close();
  }

  /** Writes summary.json and the reports; `passReason` replaces the reason of a passing verdict. */
  async finish(
    input: Omit<SummaryInput, SessionFields>,
    extra: { partial: boolean; passReason?: string },
  ): Promise<RunResult> {
    await this.stopClock();
    this.timeseries.close();
    const { stack, outDir } = this.options;
    const egress = await egressReport(stack, this.startedAt);
    const summary = buildSummary({
      ...input,
      ...(egress && { egress }),
      otherFailures: [...(input.otherFailures ?? []), ...egressFailures(egress)],
      registry: this.registry,
      harness: this.monitor.report(),
      startedAt: this.startedAt,
      endedAt: new Date(),
      argv: this.options.argv,
      environment: { name: stack.name, provider: stack.provider, url: stack.url },
      partial: extra.partial,
    });
    if (summary.verdict === 'pass' && extra.passReason !== undefined) summary.reason = extra.passReason;
    await writeSummary(join(outDir, 'summary.json'), summary);
    const reports = await writeReports(outDir);
    this.log(`reports: ${reports.files.join(', ')}`);
    return { summary, exitCode: exitCodeFor(summary.verdict), outDir };
  }
}
