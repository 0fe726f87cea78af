import type { MetricSource } from './metric-source.js';
import type { Selector } from './series-name.js';
import { mergeSinks, type SeriesSnapshot, type Sink, snapshotOf } from './sinks.js';

/**
 * The untagged aggregate of every metric over one interval (normally one second), as handed out
 * by `MetricsRegistry.takeInterval()`. Its sinks are no longer written to, so consumers may keep
 * several and merge them into a longer window (the progress display's 10-second CI lines).
 */
export class IntervalSnapshot implements MetricSource {
  constructor(
    /** Epoch milliseconds. */
    readonly startedAt: number,
    readonly endedAt: number,
    private readonly sinks: ReadonlyMap<string, Sink>,
  ) {}

  get durationS(): number {
    return Math.max(0, (this.endedAt - this.startedAt) / 1000);
  }

  periodS(): number {
    return this.durationS;
  }

  names(): string[] {
    return [...this.sinks.keys()];
  }

  /** The metric's aggregate over the interval (read-only), or undefined if it does not exist yet. */
  sink(name: string): Sink | undefined {
    return this.sinks.get(name);
  }

  snapshot(name: string): SeriesSnapshot | undefined {
    const sink = this.sinks.get(name);
    return sink === undefined ? undefined : snapshotOf(sink, this.durationS);
  }

  /** Aggregates only: intervals do not keep per-tag series (see MetricsRegistry). */
  query(selector: Selector): Sink | undefined {
    if (Object.keys(selector.tags).length > 0)
      throw new RangeError(`interval snapshots hold untagged aggregates only, not ${selector.name}{…}`);
    return this.sinks.get(selector.name);
  }

  /** One snapshot covering consecutive intervals (from the first start to the last end). */
  static merge(intervals: readonly IntervalSnapshot[]): IntervalSnapshot {
    if (intervals.length === 0) throw new RangeError('nothing to merge');
    const grouped = new Map<string, Sink[]>();
    for (const interval of intervals) {
      for (const [name, sink] of interval.sinks) {
        const list = grouped.get(name);
        if (list === undefined) grouped.set(name, [sink]);
        else list.push(sink);
      }
    }
    const merged = new Map<string, Sink>();
    for (const [name, sinks] of grouped) merged.set(name, mergeSinks(sinks[0]!.type, sinks));
    return new IntervalSnapshot(intervals[0]!.startedAt, intervals.at(-1)!.endedAt, merged);
  }
}
