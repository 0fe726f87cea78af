import type { HarnessMonitor } from './harness-monitor.js';
import type { IntervalSnapshot } from './interval.js';
import type { MetricsRegistry } from './registry.js';

// The run's once-a-second beat: sample the harness, cut the registry's interval, hand it to
// every listener (time series, progress, abortOnFail thresholds, later the capacity search).
// Ticks are scheduled against the start time, so they do not drift; a stalled event loop makes
// a tick late, and the interval then covers the real span (rates stay right).

export interface Tick {
  interval: IntervalSnapshot;
  /** Milliseconds since the heartbeat started, at the end of the interval. */
  elapsedMs: number;
  /** True for the last, partial interval emitted by stop(). */
  final: boolean;
}

export type TickListener = (tick: Tick) => void;

export interface HeartbeatOptions {
  registry: MetricsRegistry;
  monitor?: HarnessMonitor;
  intervalMs?: number;
  /** A listener threw: by default written to stderr once per listener; the beat goes on. */
  onError?: (error: unknown) => void;
}

export class Heartbeat {
  private readonly listeners: TickListener[] = [];
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private beats = 0;
  private readonly failed = new Set<TickListener>();

  constructor(private readonly options: HeartbeatOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
  }

  on(listener: TickListener): this {
    this.listeners.push(listener);
    return this;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.startedAt = performance.now();
    this.options.monitor?.start();
    this.options.registry.takeInterval(); // anything recorded before the start is not a first second
    this.schedule();
  }

  /** Emits the last (partial) interval and stops. Idempotent. */
  stop(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.beat(true);
    this.options.monitor?.stop();
  }

  private schedule(): void {
    this.beats++;
    const due = this.startedAt + this.beats * this.intervalMs;
    this.timer = setTimeout(
      () => {
        this.beat(false);
        if (this.timer !== undefined) this.schedule();
      },
      Math.max(0, due - performance.now()),
    );
    this.timer.unref();
  }

  private beat(final: boolean): void {
    this.options.monitor?.sample();
    const tick: Tick = {
      interval: this.options.registry.takeInterval(),
      elapsedMs: performance.now() - this.startedAt,
      final,
    };
    for (const listener of this.listeners) {
      try {
        listener(tick);
      } catch (error) {
        this.report(listener, error);
      }
    }
  }

  private report(listener: TickListener, error: unknown): void {
    if (this.options.onError !== undefined) {
      this.options.onError(error);
      return;
    }
    if (this.failed.has(listener)) return;
    this.failed.add(listener);
    process.stderr.write(
      `metrics heartbeat: a listener failed: ${(error as Error)?.message ?? String(error)}\n`,
    );
  }
}
