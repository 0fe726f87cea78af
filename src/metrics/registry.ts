import type { Counter, Gauge, Metrics, Rate, Tags, Trend } from './api.js';
import { METRIC } from './api.js';
import { DERIVED_METRIC, metricInfo } from './catalogue.js';
import { IntervalSnapshot } from './interval.js';
import type { MetricSource } from './metric-source.js';
import { matchesTags, type Selector, seriesName, tagsKey } from './series-name.js';
import {
  type CounterSink,
  GaugeSink,
  hasData,
  type MetricType,
  mergeSinks,
  newSink,
  type RateSink,
  type SeriesSnapshot,
  type Sink,
  snapshotOf,
  type TrendSink,
} from './sinks.js';

// The in-process store behind the Metrics contract. Per metric name it keeps:
// - the aggregate (`name`, every sample whatever its tags);
// - one series per distinct tag set (`name{tag:value,…}`, untagged samples under the empty set),
//   so any tag filter is answered exactly by merging the series it matches (gauges of several
//   tag sets add up: `vus` is the sum of `vus{scenario:…}`);
// - tracked sub-metrics (k6's): a filter fed as samples arrive, for thresholds read every second;
// - the current interval's aggregate, handed out and replaced by `takeInterval()` each second
//   (intervals keep aggregates only: the time series and per-second checks need no more).

interface Series<S extends Sink> {
  tags: Tags;
  sink: S;
}

interface Entry<S extends Sink> {
  name: string;
  type: S['type'];
  aggregate: S;
  interval: S;
  series: Map<string, Series<S>>;
  tracked: Map<string, Series<S>>;
  /** Counters only: hooks feeding derived rates. */
  onAdd: ((n: number, tags: Tags | undefined) => void)[];
}

export interface RegistryOptions {
  /** Epoch milliseconds; injectable for tests. */
  clock?: () => number;
  /** When the run started (epoch ms); counters' `rate` divides by the time since. Default: now. */
  startedAt?: number;
  /** Tag sets kept per metric; beyond it samples still reach the aggregate and tracked filters. */
  maxSeriesPerMetric?: number;
}

export interface SnapshotOptions {
  /** Selectors to report besides every recorded series (threshold sub-metrics). */
  include?: readonly Selector[];
  /** End of the period for counters' rate (epoch ms); default: now. */
  now?: number;
}

export class MetricsRegistry implements Metrics, MetricSource {
  readonly startedAt: number;
  /** Samples whose tag set was not kept because a metric reached `maxSeriesPerMetric`. */
  droppedSeries = 0;
  private readonly clock: () => number;
  private readonly maxSeries: number;
  private readonly entries = new Map<string, Entry<Sink>>();
  private readonly handles = new Map<string, Trend | Counter | Rate | Gauge>();
  private intervalStart: number;
  private gaugeOrder = 0;

  constructor(options: RegistryOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.startedAt = options.startedAt ?? this.clock();
    this.intervalStart = this.startedAt;
    this.maxSeries = options.maxSeriesPerMetric ?? 2000;
    this.installDerivedRates();
  }

  trend(name: string): Trend {
    return this.handle(name, 'trend', (entry: Entry<TrendSink>) => ({
      add: (value: number, tags?: Tags) => {
        entry.aggregate.add(value);
        entry.interval.add(value);
        this.seriesFor(entry, tags)?.add(value);
        if (tags !== undefined)
          for (const t of entry.tracked.values()) if (matchesTags(tags, t.tags)) t.sink.add(value);
      },
    }));
  }

  counter(name: string): Counter {
    return this.handle(name, 'counter', (entry: Entry<CounterSink>) => ({
      add: (n = 1, tags?: Tags) => {
        if (!(n >= 0 && Number.isFinite(n))) return;
        entry.aggregate.add(n);
        entry.interval.add(n);
        this.seriesFor(entry, tags)?.add(n);
        if (tags !== undefined)
          for (const t of entry.tracked.values()) if (matchesTags(tags, t.tags)) t.sink.add(n);
        for (const hook of entry.onAdd) hook(n, tags);
      },
    }));
  }

  rate(name: string): Rate {
    return this.handle(name, 'rate', (entry: Entry<RateSink>) => ({
      add: (ok: boolean, tags?: Tags) => this.addRate(entry, ok ? 1 : 0, 1, tags),
    }));
  }

  gauge(name: string): Gauge {
    return this.handle(name, 'gauge', (entry: Entry<GaugeSink>) => ({
      set: (value: number, tags?: Tags) => {
        if (!Number.isFinite(value)) return;
        const order = ++this.gaugeOrder;
        // Tag sets add up (`vus{scenario:a}` + `vus{scenario:b}` = `vus`): the aggregate moves
        // by the change of this tag set's value.
        const series = this.seriesFor(entry, tags);
        const delta = value - (series !== undefined && series.updated !== 0 ? series.value : 0);
        series?.set(value, order);
        const total = (entry.aggregate.updated === 0 ? 0 : entry.aggregate.value) + delta;
        entry.aggregate.set(total, order);
        entry.interval.set(total, order);
        if (tags !== undefined)
          for (const t of entry.tracked.values())
            if (matchesTags(tags, t.tags))
              t.sink.set((t.sink.updated === 0 ? 0 : t.sink.value) + delta, order);
      },
    }));
  }

  /** Metric names recorded so far (or asked for through trend()/counter()/…). */
  names(): string[] {
    return [...this.entries.keys()];
  }

  typeOf(name: string): MetricType | undefined {
    return this.entries.get(name)?.type;
  }

  elapsedS(now = this.clock()): number {
    return Math.max(0, (now - this.startedAt) / 1000);
  }

  periodS(): number {
    return this.elapsedS();
  }

  query(selector: Selector): Sink | undefined {
    const entry = this.entries.get(selector.name);
    if (entry === undefined) return undefined;
    const key = tagsKey(selector.tags);
    if (key === '') return entry.aggregate;
    const tracked = entry.tracked.get(key);
    if (tracked !== undefined) return tracked.sink;
    return this.mergeMatching(entry, selector.tags);
  }

  /**
   * The series of `name` merged by the values of `keys` (k6's tags projected onto fewer keys,
   * as Prometheus labels want them). A tag a series lacks is left out of its group's tags.
   */
  groupBy(name: string, keys: readonly string[]): { tags: Record<string, string>; sink: Sink }[] {
    const entry = this.entries.get(name);
    if (entry === undefined) return [];
    if (keys.length === 0) return [{ tags: {}, sink: entry.aggregate }];
    const groups = new Map<string, { tags: Record<string, string>; sinks: Sink[] }>();
    for (const series of entry.series.values()) {
      const tags: Record<string, string> = {};
      for (const key of keys) if (series.tags[key] !== undefined) tags[key] = series.tags[key];
      const key = tagsKey(tags);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { tags, sinks: [series.sink] });
      else group.sinks.push(series.sink);
    }
    return [...groups.values()].map((g) => ({ tags: g.tags, sink: mergeTagSets(entry.type, g.sinks) }));
  }

  /**
   * Keeps a filter up to date as samples arrive (k6's sub-metric), so reading it every second
   * costs nothing. Samples recorded before are merged in, so it is exact whenever it is called.
   */
  track(selector: Selector): void {
    const key = tagsKey(selector.tags);
    if (key === '') return;
    const entry = this.entryFor(selector.name, metricInfo(selector.name)?.type);
    if (entry === undefined || entry.tracked.has(key)) return;
    entry.tracked.set(key, { tags: { ...selector.tags }, sink: this.mergeMatching(entry, selector.tags) });
  }

  /**
   * Every metric's aggregate (`name`) and every tag set (`name{tag:value}`), plus the selectors
   * asked for, keyed in k6's form. Metrics without samples are left out, asked-for ones are not.
   */
  snapshot(options: SnapshotOptions = {}): Record<string, SeriesSnapshot> {
    const periodS = this.elapsedS(options.now);
    const out: Record<string, SeriesSnapshot> = {};
    for (const name of [...this.entries.keys()].sort()) {
      const entry = this.entries.get(name)!;
      if (!hasData(entry.aggregate)) continue;
      out[name] = snapshotOf(entry.aggregate, periodS);
      for (const key of [...entry.series.keys()].sort()) {
        if (key !== '') out[`${name}{${key}}`] = snapshotOf(entry.series.get(key)!.sink, periodS);
      }
    }
    for (const selector of options.include ?? []) {
      const sink = this.query(selector);
      const type = sink?.type ?? metricInfo(selector.name)?.type;
      if (type !== undefined)
        out[seriesName(selector.name, selector.tags)] = snapshotOf(sink ?? newSink(type), periodS);
    }
    return out;
  }

  /**
   * Hands out the aggregates accumulated since the previous call and starts new ones. The
   * cumulative series are untouched. Gauges carry their current value into the next interval.
   */
  takeInterval(now = this.clock()): IntervalSnapshot {
    const sinks = new Map<string, Sink>();
    for (const entry of this.entries.values()) {
      sinks.set(entry.name, entry.interval);
      entry.interval = entry.interval.type === 'gauge' ? entry.interval.carryOver() : newSink(entry.type);
    }
    const interval = new IntervalSnapshot(this.intervalStart, now, sinks);
    this.intervalStart = now;
    return interval;
  }

  private addRate(
    entry: Entry<RateSink>,
    passes: number,
    count: number,
    tags: Tags | undefined,
    skip?: string,
  ): void {
    entry.aggregate.addCounts(passes, count);
    entry.interval.addCounts(passes, count);
    this.seriesFor(entry, tags, skip)?.addCounts(passes, count);
    if (tags !== undefined)
      for (const t of entry.tracked.values()) if (matchesTags(tags, t.tags)) t.sink.addCounts(passes, count);
  }

  private handle<S extends Sink, H extends Trend | Counter | Rate | Gauge>(
    name: string,
    type: S['type'],
    make: (entry: Entry<S>) => H,
  ): H {
    const existing = this.handles.get(name);
    const entry = this.entryFor(name, type) as Entry<S>;
    if (existing !== undefined) return existing as H;
    const handle = make(entry);
    this.handles.set(name, handle);
    return handle;
  }

  /** The entry of `name`, created as `type`; throws when the name is already another type. */
  private entryFor(name: string, type: MetricType | undefined): Entry<Sink> | undefined {
    const existing = this.entries.get(name);
    if (existing !== undefined) {
      if (type !== undefined && existing.type !== type)
        throw new TypeError(`metric ${name} is a ${existing.type}, not a ${type}`);
      return existing;
    }
    if (type === undefined) return undefined;
    const known = metricInfo(name)?.type;
    if (known !== undefined && known !== type)
      throw new TypeError(`metric ${name} is a ${known}, not a ${type}`);
    const entry: Entry<Sink> = {
      name,
      type,
      aggregate: newSink(type),
      interval: newSink(type),
      series: new Map(),
      tracked: new Map(),
      onAdd: [],
    };
    this.entries.set(name, entry);
    return entry;
  }

  /** The series of the sample's tag set (without `skip`), created on first use. */
  private seriesFor<S extends Sink>(entry: Entry<S>, tags: Tags | undefined, skip?: string): S | undefined {
    const key = tagsKey(tags, skip);
    const found = entry.series.get(key);
    if (found !== undefined) return found.sink;
    if (entry.series.size >= this.maxSeries) {
      this.droppedSeries++;
      return undefined;
    }
    const copy: Record<string, string> = {};
    for (const k in tags) if (k !== skip) copy[k] = tags[k]!;
    const series: Series<S> = { tags: copy, sink: newSink(entry.type) as S };
    entry.series.set(key, series);
    return series.sink;
  }

  private mergeMatching<S extends Sink>(entry: Entry<S>, filter: Tags): S {
    const matching = [...entry.series.values()].filter((s) => matchesTags(s.tags, filter)).map((s) => s.sink);
    return mergeTagSets(entry.type, matching) as S;
  }

  /** See DERIVED_METRIC: rates computed from the counters the HTTP layer records anyway. */
  private installDerivedRates(): void {
    const fivexx = this.entryFor(DERIVED_METRIC.httpReq5xx, 'rate') as Entry<RateSink>;
    const timeouts = this.entryFor(DERIVED_METRIC.timeoutRate, 'rate') as Entry<RateSink>;
    const reqs = this.entryFor(METRIC.httpReqs, 'counter') as Entry<CounterSink>;
    const timedOut = this.entryFor(METRIC.timeouts, 'counter') as Entry<CounterSink>;
    reqs.onAdd.push((n, tags) => {
      const status = tags?.status;
      const is5xx = status !== undefined && status.length === 3 && status[0] === '5';
      this.addRate(fivexx, is5xx ? n : 0, n, tags, 'status');
      this.addRate(timeouts, 0, n, undefined);
    });
    timedOut.onAdd.push((n) => this.addRate(timeouts, n, 0, undefined));
  }
}

/**
 * Merges the series of several tag sets. Gauges add up: the value is the sum of the current
 * values; with more than one series, min and max are the sums of theirs (bounds: the series'
 * histories are not kept). Tracked filters and the aggregate keep exact min and max.
 */
function mergeTagSets(type: MetricType, sinks: readonly Sink[]): Sink {
  if (type !== 'gauge') return mergeSinks(type, sinks);
  const set = sinks.filter((s): s is GaugeSink => s.type === 'gauge' && s.updated !== 0);
  if (set.length <= 1) return mergeSinks(type, set);
  const out = new GaugeSink();
  out.set(
    set.reduce((sum, s) => sum + s.value, 0),
    Math.max(...set.map((s) => s.updated)),
  );
  out.min = set.reduce((sum, s) => sum + s.min, 0);
  out.max = set.reduce((sum, s) => sum + s.max, 0);
  return out;
}
