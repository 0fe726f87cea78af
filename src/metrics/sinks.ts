import hdr, { type Histogram } from 'hdr-histogram-js';

// What one series accumulates, per metric type, and the snapshots the summary and the time
// series print. Snapshot field names are k6's (`med`, `p90`, `passes`…).

export type MetricType = 'trend' | 'counter' | 'rate' | 'gauge';

export interface TrendSnapshot {
  type: 'trend';
  count: number;
  avg: number;
  min: number;
  med: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface CounterSnapshot {
  type: 'counter';
  count: number;
  /** Per second over the period the snapshot covers (the run so far, or one interval). */
  rate: number;
}

export interface RateSnapshot {
  type: 'rate';
  count: number;
  /** Number of true values (k6's name). */
  passes: number;
  rate: number;
}

export interface GaugeSnapshot {
  type: 'gauge';
  value: number;
  min: number;
  max: number;
}

export type SeriesSnapshot = TrendSnapshot | CounterSnapshot | RateSnapshot | GaugeSnapshot;

/**
 * Histogram resolution: values are milliseconds, recorded as integer microseconds with 3
 * significant digits. So a 1.6 ms ping keeps 1 µs steps (exact below 2.048 ms) and any value
 * keeps a relative error under 0.1 %; the histogram grows as larger values arrive (no upper
 * bound to configure). Count, sum, min and max are kept exactly beside it. A percentile is
 * the upper edge of its histogram bucket (HdrHistogram's convention), so it errs high, never
 * low, by under 0.1 %, and is clamped to the exact [min, max].
 */
const UNITS_PER_MS = 1000;

function round(value: number): number {
  return Math.round(value * UNITS_PER_MS) / UNITS_PER_MS;
}

export class TrendSink {
  readonly type = 'trend';
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  private histogram: Histogram | undefined;

  /** Negative values (a clock stepping back) count as 0; NaN and infinities are dropped. */
  add(value: number): void {
    if (!Number.isFinite(value)) return;
    const v = Math.max(value, 0);
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.hist().recordValue(Math.round(v * UNITS_PER_MS));
  }

  merge(other: TrendSink): void {
    if (other.count === 0) return;
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    if (other.histogram !== undefined) this.hist().add(other.histogram);
  }

  /** The value at percentile `p` (0..100) in ms, within [min, max]; NaN without samples. */
  percentile(p: number): number {
    if (this.count === 0 || this.histogram === undefined) return Number.NaN;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const value = this.histogram.getValueAtPercentile(p) / UNITS_PER_MS;
    return Math.min(this.max, Math.max(this.min, value));
  }

  get avg(): number {
    return this.count === 0 ? Number.NaN : this.sum / this.count;
  }

  /** k6's trend figures; all 0 without samples (k6 prints the same). */
  snapshot(): TrendSnapshot {
    if (this.count === 0)
      return { type: 'trend', count: 0, avg: 0, min: 0, med: 0, p90: 0, p95: 0, p99: 0, max: 0 };
    return {
      type: 'trend',
      count: this.count,
      avg: round(this.avg),
      min: round(this.min),
      med: round(this.percentile(50)),
      p90: round(this.percentile(90)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      max: round(this.max),
    };
  }

  private hist(): Histogram {
    this.histogram ??= hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true });
    return this.histogram;
  }
}

export class CounterSink {
  readonly type = 'counter';
  count = 0;
  /** Something was added, if only 0 (k6's way of making a counter appear in the summary). */
  touched = false;

  /** Negative and non-finite amounts are dropped (a counter only grows). */
  add(n: number): void {
    if (!(n >= 0 && Number.isFinite(n))) return;
    this.count += n;
    this.touched = true;
  }

  merge(other: CounterSink): void {
    this.count += other.count;
    this.touched ||= other.touched;
  }

  snapshot(periodS: number): CounterSnapshot {
    return { type: 'counter', count: this.count, rate: periodS > 0 ? this.count / periodS : 0 };
  }
}

export class RateSink {
  readonly type = 'rate';
  count = 0;
  passes = 0;

  add(ok: boolean): void {
    this.count++;
    if (ok) this.passes++;
  }

  /**
   * Adds counts directly (derived rates, see catalogue.ts). `passes` may be fed from another
   * source than `count`, so the rate is capped at 1.
   */
  addCounts(passes: number, count: number): void {
    this.passes += passes;
    this.count += count;
  }

  merge(other: RateSink): void {
    this.addCounts(other.passes, other.count);
  }

  get rate(): number {
    if (this.count === 0) return this.passes > 0 ? 1 : 0;
    return Math.min(1, this.passes / this.count);
  }

  snapshot(): RateSnapshot {
    return { type: 'rate', count: this.count, passes: this.passes, rate: this.rate };
  }
}

export class GaugeSink {
  readonly type = 'gauge';
  value = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Order of the last `set` across the registry: merging keeps the latest value. 0 = never set. */
  updated = 0;

  set(value: number, order: number): void {
    if (!Number.isFinite(value)) return;
    this.value = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.updated = order;
  }

  merge(other: GaugeSink): void {
    if (other.updated === 0) return;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    if (other.updated > this.updated) {
      this.value = other.value;
      this.updated = other.updated;
    }
  }

  /** A sink for a new interval: it starts from the current value, as a gauge holds it. */
  carryOver(): GaugeSink {
    const next = new GaugeSink();
    if (this.updated !== 0) next.set(this.value, this.updated);
    return next;
  }

  snapshot(): GaugeSnapshot {
    if (this.updated === 0) return { type: 'gauge', value: 0, min: 0, max: 0 };
    return { type: 'gauge', value: this.value, min: this.min, max: this.max };
  }
}

export type Sink = TrendSink | CounterSink | RateSink | GaugeSink;

export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'trend':
      return new TrendSink();
    case 'counter':
      return new CounterSink();
    case 'rate':
      return new RateSink();
    case 'gauge':
      return new GaugeSink();
  }
}

/** Merges sinks of one type into a new one (the inputs are not changed). */
export function mergeSinks(type: MetricType, sinks: Iterable<Sink>): Sink {
  const out = newSink(type);
  // Same type by construction: a registry never mixes types under one name.
  for (const sink of sinks) mergeInto(out, sink);
  return out;
}

function mergeInto(target: Sink, source: Sink): void {
  if (target.type !== source.type) throw new TypeError(`cannot merge a ${source.type} into a ${target.type}`);
  switch (target.type) {
    case 'trend':
      target.merge(source as TrendSink);
      break;
    case 'counter':
      target.merge(source as CounterSink);
      break;
    case 'rate':
      target.merge(source as RateSink);
      break;
    case 'gauge':
      target.merge(source as GaugeSink);
      break;
  }
}

export function snapshotOf(sink: Sink, periodS: number): SeriesSnapshot {
  return sink.type === 'counter' ? sink.snapshot(periodS) : sink.snapshot();
}

/** True once the sink holds anything worth reporting. */
export function hasData(sink: Sink): boolean {
  switch (sink.type) {
    case 'gauge':
      return sink.updated !== 0;
    case 'counter':
      return sink.touched;
    case 'rate':
      return sink.count > 0 || sink.passes > 0;
    case 'trend':
      return sink.count > 0;
  }
}
