import { METRIC } from '../metrics/api.js';
import type { Tick, TickListener } from '../metrics/heartbeat.js';
import { IntervalSnapshot } from '../metrics/interval.js';

// The live progress display. In a terminal: one status line rewritten every second. In a CI log
// (not a TTY): one plain line every 10 s covering those 10 s, so logs stay short and readable.
// Figures are per window (the last second, or the last 10 s), except the error count (whole run).

export interface ProgressStatus {
  elapsedMs: number;
  totalMs?: number;
  vus: number;
  reqRate: number;
  p99Ms: number | null;
  /** Share of failed requests in the window. */
  errorRate: number;
  /** Failed requests since the start. */
  errors: number;
  wsSessions: number;
  deliveryP99Ms: number | null;
}

/** The status of one window (one interval or several merged). */
export function progressStatus(
  window: IntervalSnapshot,
  elapsedMs: number,
  errorsSoFar: number,
  totalMs?: number,
): ProgressStatus {
  const reqs = window.sink(METRIC.httpReqs);
  const failed = window.sink(METRIC.httpReqFailed);
  const duration = window.sink(METRIC.httpReqDuration);
  const delivery = window.sink(METRIC.deliveryLatency);
  const gauge = (name: string) => {
    const sink = window.sink(name);
    return sink?.type === 'gauge' ? sink.value : 0;
  };
  const durationS = window.durationS;
  return {
    elapsedMs,
    ...(totalMs !== undefined && { totalMs }),
    vus: gauge(METRIC.vus),
    reqRate: reqs?.type === 'counter' && durationS > 0 ? reqs.count / durationS : 0,
    p99Ms: duration?.type === 'trend' && duration.count > 0 ? duration.percentile(99) : null,
    errorRate: failed?.type === 'rate' ? failed.rate : 0,
    errors: errorsSoFar,
    wsSessions: gauge(METRIC.wsSessions),
    deliveryP99Ms: delivery?.type === 'trend' && delivery.count > 0 ? delivery.percentile(99) : null,
  };
}

/** `01:05/05:00  VUs 100  203.4 req/s  p99 45.2 ms  errors 0.12 % (3)  WS 100  delivery p99 12.3 ms` */
export function formatStatus(s: ProgressStatus): string {
  const time = s.totalMs === undefined ? clock(s.elapsedMs) : `${clock(s.elapsedMs)}/${clock(s.totalMs)}`;
  return [
    time,
    `VUs ${s.vus}`,
    `${s.reqRate.toFixed(1)} req/s`,
    `p99 ${ms(s.p99Ms)}`,
    `errors ${(s.errorRate * 100).toFixed(2)} % (${s.errors})`,
    `WS ${s.wsSessions}`,
    `delivery p99 ${ms(s.deliveryP99Ms)}`,
  ].join('  ');
}

/** What the display writes to: process.stderr, or anything alike. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** Default: process.stderr (stdout stays machine-readable). */
  stream?: ProgressStream;
  /** Default: whether the stream is a terminal. */
  tty?: boolean;
  /** Plain mode: one line per this many ms of the run. */
  plainEveryMs?: number;
  /** The run's planned length, shown as elapsed/total. */
  totalMs?: number;
}

export class ProgressDisplay {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly plainEveryMs: number;
  private readonly totalMs: number | undefined;
  private window: IntervalSnapshot[] = [];
  private windowStartMs = 0;
  private errors = 0;
  private statusShown = false;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? this.stream.isTTY === true;
    this.plainEveryMs = options.plainEveryMs ?? 10_000;
    this.totalMs = options.totalMs;
  }

  update(tick: Tick): void {
    const failed = tick.interval.sink(METRIC.httpReqFailed);
    if (failed?.type === 'rate') this.errors += failed.passes;
    if (this.tty) {
      this.showStatus(formatStatus(progressStatus(tick.interval, tick.elapsedMs, this.errors, this.totalMs)));
      if (tick.final) this.endStatus();
      return;
    }
    this.window.push(tick.interval);
    if (tick.elapsedMs - this.windowStartMs >= this.plainEveryMs - 1 || tick.final) {
      const merged = IntervalSnapshot.merge(this.window);
      this.stream.write(
        `${formatStatus(progressStatus(merged, tick.elapsedMs, this.errors, this.totalMs))}\n`,
      );
      this.window = [];
      this.windowStartMs = tick.elapsedMs;
    }
  }

  listener(): TickListener {
    return (tick) => this.update(tick);
  }

  /** Prints a message; in a terminal it goes above the status line, which is redrawn next tick. */
  log(line: string): void {
    if (this.tty && this.statusShown) this.stream.write('\r\u001b[2K');
    this.stream.write(`${line}\n`);
    this.statusShown = false;
  }

  /** Leaves the last status line on screen. */
  stop(): void {
    if (this.tty) this.endStatus();
  }

  private showStatus(line: string): void {
    const width = this.stream.columns;
    const fitted = width !== undefined && width > 1 && line.length >= width ? line.slice(0, width - 1) : line;
    this.stream.write(`\r\u001b[2K${fitted}`);
    this.statusShown = true;
  }

  private endStatus(): void {
    if (!this.statusShown) return;
    this.stream.write('\n');
    this.statusShown = false;
  }
}

function clock(msValue: number): string {
  const total = Math.max(0, Math.floor(msValue / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

function ms(value: number | null): string {
  if (value === null) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}
