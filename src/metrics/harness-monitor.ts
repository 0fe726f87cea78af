import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { type Gauge, METRIC, type Metrics, type Trend } from './api.js';
import { TrendSink } from './sinks.js';

// The harness watches itself: a run in which the harness was the bottleneck must say so instead
// of blaming the server. Two signals:
// - event-loop delay, measured every `resolutionMs` (10 ms). The whole run's distribution comes
//   from perf_hooks.monitorEventLoopDelay (a libuv timer, no JavaScript cost), never reset: Node
//   drops the first delay after a reset() (measured on Node 20: a 300 ms stall right after a
//   reset is not recorded), so the per-second figure comes instead from a 10 ms JavaScript timer
//   recording its own lateness into an HDR trend (100 tiny callbacks a second). Both measure the
//   time between timer runs minus the resolution (as @fastify/under-pressure does).
// - CPU from process.cpuUsage() (user + system, all threads) over wall time: 1.0 = one core,
//   sampled once a second.

export interface HarnessMonitorOptions {
  /** Event-loop delay p99 over the run above which the harness counts as saturated (ms). */
  eventLoopDelayBoundMs?: number;
  /** Share of one core at or above which a second counts as CPU-bound. */
  cpuBound?: number;
  /** Share of the seconds that must be CPU-bound for the run to count as saturated. */
  cpuMajority?: number;
  /** Fewer per-second samples than this never count as CPU-saturated (start-up noise). */
  minCpuSamples?: number;
  /** monitorEventLoopDelay resolution (ms). */
  resolutionMs?: number;
}

export interface HarnessSample {
  /** p99 of the event-loop delay during the last second (ms). */
  eventLoopDelayP99Ms: number;
  /** CPU over the last second, as a share of one core. */
  cpu: number;
}

/** The `harness` block of summary.json. */
export interface HarnessReport {
  /** p99 of every event-loop delay measurement of the run (ms). */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Average CPU over the run, as a share of one core (may exceed 1: GC and libuv threads). */
  cpu: number;
  saturated: boolean;
  /** Why the run counts as saturated. */
  reason?: string;
}

export interface SaturationInput {
  eventLoopDelayP99Ms: number;
  /** Per-second CPU samples (share of one core). */
  cpuSamples: readonly number[];
}

const DEFAULTS = {
  eventLoopDelayBoundMs: 100,
  cpuBound: 0.95,
  cpuMajority: 0.5,
  minCpuSamples: 5,
  resolutionMs: 10,
} as const;

/**
 * The saturation rule. Saturated when either
 * - the event-loop delay p99 over the whole run exceeds `eventLoopDelayBoundMs` (default 100 ms), or
 * - at least `minCpuSamples` (5) seconds were sampled and CPU was ≥ `cpuBound` (0.95 of one core)
 *   in more than `cpuMajority` (half) of them.
 */
export function judgeSaturation(
  input: SaturationInput,
  options: HarnessMonitorOptions = {},
): { saturated: boolean; reason?: string } {
  const o = { ...DEFAULTS, ...options };
  if (input.eventLoopDelayP99Ms > o.eventLoopDelayBoundMs) {
    return {
      saturated: true,
      reason: `event-loop delay p99 ${input.eventLoopDelayP99Ms.toFixed(1)} ms > ${o.eventLoopDelayBoundMs} ms bound`,
    };
  }
  const busy = input.cpuSamples.filter((cpu) => cpu >= o.cpuBound).length;
  if (input.cpuSamples.length >= o.minCpuSamples && busy > input.cpuSamples.length * o.cpuMajority) {
    return {
      saturated: true,
      reason: `CPU ≥ ${Math.round(o.cpuBound * 100)} % of one core in ${busy} of ${input.cpuSamples.length} s`,
    };
  }
  return { saturated: false };
}

export class HarnessMonitor {
  private readonly options: Required<HarnessMonitorOptions>;
  private readonly delayTrend: Trend;
  private readonly cpuGauge: Gauge;
  /** The current second's delays (ms), from the JavaScript sampler; replaced every second. */
  private perSecond = new TrendSink();
  private sampler: NodeJS.Timeout | undefined;
  /** Never reset: the whole run's distribution. */
  private readonly wholeRun: IntervalHistogram;
  private readonly cpuSamples: number[] = [];
  private runCpu: NodeJS.CpuUsage | undefined;
  private runWall = 0;
  private lastCpu: NodeJS.CpuUsage | undefined;
  private lastWall = 0;
  /** Set by stop(): the report covers start → stop. */
  private stopped: { cpu: NodeJS.CpuUsage; wall: number } | undefined;

  constructor(metrics: Metrics, options: HarnessMonitorOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.delayTrend = metrics.trend(METRIC.harnessEventLoopDelay);
    this.cpuGauge = metrics.gauge(METRIC.harnessCpu);
    this.wholeRun = monitorEventLoopDelay({ resolution: this.options.resolutionMs });
  }

  start(): void {
    if (this.sampler !== undefined) return;
    this.wholeRun.enable();
    const resolution = this.options.resolutionMs;
    let last = performance.now();
    this.sampler = setInterval(() => {
      const now = performance.now();
      this.perSecond.add(Math.max(0, now - last - resolution));
      last = now;
    }, resolution);
    this.sampler.unref();
    this.runCpu = this.lastCpu = process.cpuUsage();
    this.runWall = this.lastWall = performance.now();
  }

  /** Called once a second (by the heartbeat): records `harness_event_loop_delay` and `harness_cpu`. */
  sample(): HarnessSample {
    const now = performance.now();
    const cpuNow = process.cpuUsage();
    const cpu = cpuShare(this.lastCpu, cpuNow, now - this.lastWall);
    this.lastCpu = cpuNow;
    this.lastWall = now;
    // A stall still in progress shows up in the next second (the sampler has not run yet).
    const second = this.perSecond;
    this.perSecond = new TrendSink();
    const eventLoopDelayP99Ms = second.count === 0 ? 0 : second.percentile(99);
    this.delayTrend.add(eventLoopDelayP99Ms);
    this.cpuGauge.set(cpu);
    this.cpuSamples.push(cpu);
    return { eventLoopDelayP99Ms, cpu };
  }

  saturated(): boolean {
    return this.report().saturated;
  }

  report(): HarnessReport {
    const eventLoopDelayP99Ms = this.delayMs(this.wholeRun, 99);
    const verdict = judgeSaturation({ eventLoopDelayP99Ms, cpuSamples: this.cpuSamples }, this.options);
    const end = this.stopped ?? { cpu: process.cpuUsage(), wall: performance.now() };
    return {
      eventLoopDelayP99Ms: round(eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: round(this.wholeRun.count === 0 ? 0 : this.delayMs(this.wholeRun, 100)),
      cpu: round(cpuShare(this.runCpu, end.cpu, end.wall - this.runWall)),
      saturated: verdict.saturated,
      ...(verdict.reason !== undefined && { reason: verdict.reason }),
    };
  }

  stop(): void {
    if (this.sampler === undefined) return;
    this.stopped = { cpu: process.cpuUsage(), wall: performance.now() };
    clearInterval(this.sampler);
    this.sampler = undefined;
    this.wholeRun.disable();
  }

  private delayMs(histogram: IntervalHistogram, percentile: number): number {
    if (histogram.count === 0) return 0;
    const raw = percentile >= 100 ? histogram.max : histogram.percentile(percentile);
    return Math.max(0, raw / 1e6 - this.options.resolutionMs);
  }
}

function cpuShare(from: NodeJS.CpuUsage | undefined, to: NodeJS.CpuUsage, wallMs: number): number {
  if (from === undefined || wallMs <= 0) return 0;
  const usedMicros = to.user - from.user + (to.system - from.system);
  return usedMicros / 1000 / wallMs;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
