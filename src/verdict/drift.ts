import type { DriftReport, DriftSeriesReport } from '../summary/drift-schema.js';
import { type DriftThreshold, type DriftUnit, judgeDrift } from './drift-thresholds.js';

// Drift: how the figures of a long run move over time, which a run's overall percentiles hide.
// Each series is one value per window (a minute by default; shorter for a CI soak) after the
// warm-up; a least-squares line through them gives the slope (per minute), and the first and last
// windows give the relative change. Thresholds on either decide the drift verdict.

export interface DriftSeriesDefinition {
  name: string;
  label: string;
  unit: DriftUnit;
}

/** Every drift series, in report order. Their names + _slope/_change are the threshold keys. */
export const DRIFT_SERIES: readonly DriftSeriesDefinition[] = [
  { name: 'http_req_duration_p50', label: 'HTTP latency p50', unit: 'ms' },
  { name: 'http_req_duration_p99', label: 'HTTP latency p99', unit: 'ms' },
  { name: 'http_req_failed', label: 'Error rate', unit: 'ratio' },
  { name: 'mm_delivery_latency_p99', label: 'Delivery latency p99', unit: 'ms' },
  { name: 'mm_ws_reconnects', label: 'WebSocket reconnects per minute', unit: 'count' },
  { name: 'mm_app_rss', label: 'App node memory (RSS, largest node)', unit: 'bytes' },
  { name: 'mm_app_connections', label: 'App nodes’ open connections', unit: 'count' },
  { name: 'pg_connections', label: 'PostgreSQL connections', unit: 'count' },
  { name: 'mm_harness_rss', label: 'Harness memory (RSS)', unit: 'bytes' },
];

export const DRIFT_SERIES_UNITS: Readonly<Record<string, DriftUnit>> = Object.fromEntries(
  DRIFT_SERIES.map((s) => [s.name, s.unit]),
);

export interface DriftPoint {
  /** Seconds from the load start to the middle of the window. */
  tS: number;
  value: number;
}

/** A series as recorded: its points, or why it could not be measured. */
export interface RecordedSeries {
  name: string;
  points: DriftPoint[];
  unknown?: string;
}

/** Least-squares line through the points, x in minutes: null with fewer than two points. */
export function fitLine(points: readonly DriftPoint[]): { slopePerMin: number; intercept: number } | null {
  if (points.length < 2) return null;
  const xs = points.map((p) => p.tS / 60);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = points.reduce((a, p) => a + p.value, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - meanX) * (points[i]!.value - meanY);
    sxx += (x - meanX) ** 2;
  });
  if (sxx === 0) return null;
  const slopePerMin = sxy / sxx;
  return { slopePerMin, intercept: meanY - slopePerMin * meanX };
}

/** One series' figures: slope, first and last window, relative change. */
export function analyseSeries(
  definition: DriftSeriesDefinition,
  recorded: RecordedSeries,
): DriftSeriesReport {
  const { points } = recorded;
  const line = fitLine(points);
  const first = points[0]?.value ?? null;
  const last = points.at(-1)?.value ?? null;
  const change =
    first !== null && last !== null && points.length >= 2 && first !== 0
      ? (last - first) / Math.abs(first)
      : null;
  return {
    name: definition.name,
    label: definition.label,
    unit: definition.unit,
    status: recorded.unknown !== undefined ? 'unknown' : 'measured',
    ...(recorded.unknown !== undefined && { note: recorded.unknown }),
    points: points.map((p) => ({ tS: round(p.tS), value: round(p.value) })),
    slopePerMin: line === null ? null : round(line.slopePerMin),
    intercept: line === null ? null : round(line.intercept),
    first: first === null ? null : round(first),
    last: last === null ? null : round(last),
    change: change === null ? null : round(change),
  };
}

export interface DriftReportInput {
  windowMs: number;
  warmupMs: number;
  recorded: readonly RecordedSeries[];
  thresholds: readonly DriftThreshold[];
}

/** The `drift` block of summary.json. */
export function driftReport(input: DriftReportInput): DriftReport {
  const byName = new Map(input.recorded.map((r) => [r.name, r]));
  const series = DRIFT_SERIES.map((d) =>
    analyseSeries(d, byName.get(d.name) ?? { name: d.name, points: [] }),
  );
  const windows = Math.max(0, ...series.map((s) => s.points.length));
  const seriesByName = new Map(series.map((s) => [s.name, s]));
  const thresholds = input.thresholds.map((t) => {
    const s = seriesByName.get(t.series);
    return judgeDrift(t, (t.measure === 'slope' ? s?.slopePerMin : s?.change) ?? null);
  });
  const failed = thresholds.filter((t) => !t.ok);
  const reason =
    windows < 2
      ? `only ${windows} window(s) of ${input.windowMs / 1000} s after the warm-up: too short to judge drift`
      : failed.length > 0
        ? `${failed.length} drift threshold(s) failed: ${failed.map((t) => `${t.metric} ${t.expression} (got ${formatDriftValue(t.metric, t.value)})`).join('; ')}`
        : `all ${thresholds.length} drift threshold(s) passed over ${windows} windows`;
  return {
    windowS: input.windowMs / 1000,
    warmupS: input.warmupMs / 1000,
    windows,
    series,
    thresholds,
    ok: failed.length === 0,
    reason,
  };
}

/** The verdict's failure sentences (empty when drift passed). */
export function driftFailures(report: DriftReport): string[] {
  return report.ok ? [] : [`drift: ${report.reason}`];
}

/** A threshold's value in words: slopes per minute in the series' unit, changes in %. */
export function formatDriftValue(metric: string, value: number | null): string {
  if (value === null) return 'not measured';
  if (metric.endsWith('_change')) return `${(value * 100).toFixed(1)} %`;
  const unit = DRIFT_SERIES_UNITS[metric.replace(/_slope$/, '')];
  return `${formatDriftQuantity(value, unit ?? 'count')}/min`;
}

/** A value in its unit, human-sized: 1.5 MB, 120 ms, 0.02 %, 3. */
export function formatDriftQuantity(value: number, unit: DriftUnit): string {
  switch (unit) {
    case 'bytes': {
      const abs = Math.abs(value);
      if (abs >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(2)} GB`;
      if (abs >= 1024 ** 2) return `${(value / 1024 ** 2).toFixed(2)} MB`;
      if (abs >= 1024) return `${(value / 1024).toFixed(1)} KB`;
      return `${value.toFixed(0)} B`;
    }
    case 'ms':
      return `${value.toFixed(Math.abs(value) >= 100 ? 0 : 2)} ms`;
    case 'ratio':
      return `${(value * 100).toFixed(3)} %`;
    case 'count':
      return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
  }
}

function round(value: number): number {
  return Math.abs(value) >= 1 ? Math.round(value * 1000) / 1000 : Number(value.toPrecision(6));
}
