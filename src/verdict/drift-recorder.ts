import { METRIC } from '../metrics/api.js';
import type { Tick, TickListener } from '../metrics/heartbeat.js';
import { IntervalSnapshot } from '../metrics/interval.js';
import type { Sink } from '../metrics/sinks.js';
import type { DriftPoint, RecordedSeries } from './drift.js';
import type { DriftProbe } from './drift-probes.js';

// Cuts a run into drift windows as the heartbeat ticks: the client-side series come from the
// window's merged per-second intervals, the server-side and harness ones from probes read a few
// times per window (their mean is the window's value). The warm-up is left out; a last partial
// window counts when it covers at least half a window.

export interface DriftRecorderOptions {
  windowMs: number;
  warmupMs: number;
  probes: readonly DriftProbe[];
}

interface OpenWindow {
  index: number;
  intervals: IntervalSnapshot[];
  probeSums: Map<string, { sum: number; n: number }>;
}

export class DriftRecorder {
  private readonly points = new Map<string, DriftPoint[]>();
  private window: OpenWindow | null = null;
  private probing = false;
  private lastProbeMs = -Infinity;
  private readonly probeEveryMs: number;

  constructor(private readonly options: DriftRecorderOptions) {
    this.probeEveryMs = Math.max(1000, Math.min(5000, options.windowMs / 4));
  }

  readonly listener: TickListener = (tick: Tick) => {
    const sinceWarmup = tick.elapsedMs - this.options.warmupMs;
    if (sinceWarmup <= 0) return;
    const index = Math.floor((sinceWarmup - 1) / this.options.windowMs);
    if (this.window !== null && this.window.index !== index) this.close(this.window, this.options.windowMs);
    if (this.window === null || this.window.index !== index)
      this.window = { index, intervals: [], probeSums: new Map() };
    this.window.intervals.push(tick.interval);
    if (tick.final) {
      const coveredMs = sinceWarmup - index * this.options.windowMs;
      if (coveredMs >= this.options.windowMs / 2) this.close(this.window, coveredMs);
      this.window = null;
      return;
    }
    if (tick.elapsedMs - this.lastProbeMs >= this.probeEveryMs) {
      this.lastProbeMs = tick.elapsedMs;
      void this.probe(this.window);
    }
  };

  /** The recorded series (after the run's last tick), with why a probe's series stayed unmeasured. */
  async finish(): Promise<RecordedSeries[]> {
    await Promise.all(this.options.probes.map((p) => p.close()));
    const out: RecordedSeries[] = [...this.points].map(([name, points]) => ({ name, points }));
    for (const probe of this.options.probes) {
      for (const series of probe.series) {
        const unknown = probe.unknown(series);
        if (unknown === undefined) continue;
        const existing = out.find((s) => s.name === series);
        if (existing) existing.unknown = unknown;
        else out.push({ name: series, points: [], unknown });
      }
    }
    return out;
  }

  private async probe(window: OpenWindow): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      const readings = await Promise.all(this.options.probes.map((p) => p.read().catch(() => ({}))));
      for (const reading of readings) {
        for (const [series, value] of Object.entries(reading)) {
          if (value === null) continue;
          const sum = window.probeSums.get(series) ?? { sum: 0, n: 0 };
          sum.sum += value;
          sum.n += 1;
          window.probeSums.set(series, sum);
        }
      }
    } finally {
      this.probing = false;
    }
  }

  private close(window: OpenWindow, coveredMs: number): void {
    const tS = (this.options.warmupMs + window.index * this.options.windowMs + coveredMs / 2) / 1000;
    const add = (series: string, value: number | null) => {
      if (value === null || !Number.isFinite(value)) return;
      const list = this.points.get(series) ?? [];
      list.push({ tS, value });
      this.points.set(series, list);
    };
    const merged = IntervalSnapshot.merge(window.intervals);
    const duration = merged.sink(METRIC.httpReqDuration);
    add('http_req_duration_p50', percentile(duration, 50));
    add('http_req_duration_p99', percentile(duration, 99));
    const failed = merged.sink(METRIC.httpReqFailed);
    add('http_req_failed', failed?.type === 'rate' && failed.count > 0 ? failed.rate : null);
    add('mm_delivery_latency_p99', percentile(merged.sink(METRIC.deliveryLatency), 99));
    const reconnects = merged.sink(METRIC.wsReconnects);
    const minutes = merged.durationS / 60;
    add(
      'mm_ws_reconnects',
      minutes > 0 ? (reconnects?.type === 'counter' ? reconnects.count : 0) / minutes : null,
    );
    for (const [series, { sum, n }] of window.probeSums) add(series, n > 0 ? sum / n : null);
  }
}

function percentile(sink: Sink | undefined, p: number): number | null {
  return sink?.type === 'trend' && sink.count > 0 ? sink.percentile(p) : null;
}
