import { UsageError } from '../common/exit-codes.js';
import type { Summary } from '../summary/summary-schema.js';
import { actionStats } from './metric-tables.js';
import { counterOf, rateMetricOf, seriesOf, type TrendMetric, trendOf } from './table-model.js';

// Compares two runs per user action (and per endpoint, and overall): deltas of the average, the
// p99 and the error rate. As Mattermost's load-test comparison does, a latency change under 2 ms
// or under 1 % is noise and ignored; a change beyond the band (default 10 %) is flagged: slower
// or more errors is a regression (exit 99), faster or fewer an improvement.

/** Latency changes smaller than this (ms) are noise. */
export const NOISE_MS = 2;
/** Relative changes smaller than this (%) are noise. */
export const NOISE_PCT = 1;
/** Error-rate changes smaller than this (percentage points: 1 request in 10,000) are noise. */
export const NOISE_ERROR_PP = 0.01;

export interface CompareOptions {
  /** Allowed change before a row is flagged, in percent. Default 10. */
  bandPct?: number;
  /** Rows with fewer samples than this on either side are shown but never flagged. Default 10. */
  minSamples?: number;
}

export type Change = 'regression' | 'improvement' | 'within band' | 'noise' | 'n/a';

export interface Delta {
  base: number | null;
  candidate: number | null;
  /** candidate − base (ms for latencies; share for error rates). */
  delta: number | null;
  /** Relative change in percent; Infinity from a zero base. */
  deltaPct: number | null;
  change: Change;
}

export type RowKind = 'overall' | 'action' | 'endpoint';

export interface ComparisonRow {
  kind: RowKind;
  /** Action name, endpoint (`POST /api/v4/posts (201) · create_post`), or `all requests`. */
  name: string;
  samples: { base: number; candidate: number };
  /** Present in only one run: shown, never flagged. */
  onlyIn?: 'base' | 'candidate';
  /** Fewer samples than minSamples on one side: deltas shown, never flagged. */
  fewSamples: boolean;
  avg: Delta;
  p99: Delta;
  errorRate: Delta;
  regression: boolean;
  improvement: boolean;
}

export interface RunLabel {
  id: string;
  title: string;
  verdict: Summary['verdict'];
  startedAt: string;
  partial: boolean;
}

export interface Comparison {
  base: RunLabel;
  candidate: RunLabel;
  bandPct: number;
  minSamples: number;
  rows: ComparisonRow[];
  regressions: ComparisonRow[];
}

interface Side {
  count: number;
  avg: number | null;
  p99: number | null;
  errorRate: number | null;
}

/** Parses `10%`, `10` or `7.5 %` into percent; throws UsageError otherwise. */
export function parseBand(text: string): number {
  const match = text.trim().match(/^(\d+(?:\.\d+)?)\s*%?$/);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0 || value > 1000)
    throw new UsageError(`--band: expected a percentage such as 10% (above 0, at most 1000), got "${text}"`);
  return value;
}

export function compareSummaries(
  base: { id: string; summary: Summary },
  candidate: { id: string; summary: Summary },
  options: CompareOptions = {},
): Comparison {
  const bandPct = options.bandPct ?? 10;
  const minSamples = options.minSamples ?? 10;
  const b = sides(base.summary);
  const c = sides(candidate.summary);
  const keys = [...new Set([...b.keys(), ...c.keys()])];
  const rows = keys.map((key) => {
    const [kind, name] = splitKey(key);
    return compareRow(kind, name, b.get(key), c.get(key), bandPct, minSamples);
  });
  const order: Record<RowKind, number> = { overall: 0, action: 1, endpoint: 2 };
  rows.sort((x, y) => order[x.kind] - order[y.kind] || x.name.localeCompare(y.name));
  return {
    base: label(base.id, base.summary),
    candidate: label(candidate.id, candidate.summary),
    bandPct,
    minSamples,
    rows,
    regressions: rows.filter((r) => r.regression),
  };
}

function label(id: string, s: Summary): RunLabel {
  return {
    id,
    title: `${s.scenario.name} on ${s.environment.name}`,
    verdict: s.verdict,
    startedAt: s.startedAt,
    partial: s.partial,
  };
}

const SEP = '\u0000';
const splitKey = (key: string) => key.split(SEP) as [RowKind, string];

function fromTrend(trend: TrendMetric, errorRate: number | null): Side {
  return {
    count: trend.count,
    avg: trend.count > 0 ? trend.avg : null,
    p99: trend.count > 0 ? trend.p99 : null,
    errorRate,
  };
}

/** Every comparable row of one run, keyed by kind and name. */
function sides(summary: Summary): Map<string, Side> {
  const out = new Map<string, Side>();
  const requests = trendOf(summary, 'http_req_duration');
  if (requests)
    out.set(
      `overall${SEP}all requests`,
      fromTrend(requests, rateMetricOf(summary, 'http_req_failed')?.rate ?? null),
    );
  const actions = trendOf(summary, 'mm_action_duration');
  const stats = actionStats(summary);
  if (actions && stats.length > 0) {
    const failed = stats.reduce((n, s) => n + s.errors, 0);
    const total = (counterOf(summary, 'mm_actions')?.count ?? 0) || actions.count;
    out.set(`overall${SEP}all actions`, fromTrend(actions, total > 0 ? failed / total : null));
  }
  for (const s of stats) out.set(`action${SEP}${s.action}`, fromTrend(s.trend, s.errorRate));
  // Endpoints: the latency of successful responses; the error rate over every status.
  const failedByEndpoint = new Map<string, { passes: number; count: number }>();
  for (const s of seriesOf(summary, 'http_req_failed')) {
    if (s.metric.type !== 'rate' || s.selector.tags.name === undefined) continue;
    const key = endpointName(s.selector.tags, false);
    const acc = failedByEndpoint.get(key) ?? { passes: 0, count: 0 };
    acc.passes += s.metric.passes;
    acc.count += s.metric.count;
    failedByEndpoint.set(key, acc);
  }
  for (const s of seriesOf(summary, 'http_req_duration')) {
    const status = Number(s.selector.tags.status);
    if (s.metric.type !== 'trend' || s.selector.tags.name === undefined || !(status < 400)) continue;
    const failed = failedByEndpoint.get(endpointName(s.selector.tags, false));
    const rate = failed && failed.count > 0 ? failed.passes / failed.count : null;
    out.set(`endpoint${SEP}${endpointName(s.selector.tags, true)}`, fromTrend(s.metric, rate));
  }
  return out;
}

function endpointName(tags: Record<string, string>, withStatus: boolean): string {
  const status = withStatus && tags.status ? ` (${tags.status})` : '';
  return `${tags.method ?? ''} ${tags.name ?? ''}${status}${tags.action ? ` · ${tags.action}` : ''}`.trim();
}

function compareRow(
  kind: RowKind,
  name: string,
  base: Side | undefined,
  candidate: Side | undefined,
  bandPct: number,
  minSamples: number,
): ComparisonRow {
  const empty: Side = { count: 0, avg: null, p99: null, errorRate: null };
  const b = base ?? empty;
  const c = candidate ?? empty;
  const judged = base !== undefined && candidate !== undefined;
  const fewSamples = judged && (b.count < minSamples || c.count < minSamples);
  const avg = latencyDelta(b.avg, c.avg, bandPct);
  const p99 = latencyDelta(b.p99, c.p99, bandPct);
  const errorRate = errorDelta(b.errorRate, c.errorRate, bandPct);
  const flaggable = judged && !fewSamples;
  const deltas = [avg, p99, errorRate];
  const row: ComparisonRow = {
    kind,
    name,
    samples: { base: b.count, candidate: c.count },
    fewSamples,
    avg,
    p99,
    errorRate,
    regression: flaggable && deltas.some((d) => d.change === 'regression'),
    improvement:
      flaggable &&
      !deltas.some((d) => d.change === 'regression') &&
      deltas.some((d) => d.change === 'improvement'),
  };
  if (!judged) row.onlyIn = base === undefined ? 'candidate' : 'base';
  return row;
}

function relative(base: number, delta: number): number {
  if (base !== 0) return (delta / Math.abs(base)) * 100;
  return delta === 0 ? 0 : delta > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

function judge(deltaPct: number, noise: boolean, bandPct: number): Change {
  if (noise) return 'noise';
  if (deltaPct > bandPct) return 'regression';
  if (deltaPct < -bandPct) return 'improvement';
  return 'within band';
}

export function latencyDelta(base: number | null, candidate: number | null, bandPct: number): Delta {
  if (base === null || candidate === null)
    return { base, candidate, delta: null, deltaPct: null, change: 'n/a' };
  const delta = candidate - base;
  const deltaPct = relative(base, delta);
  const noise = Math.abs(delta) < NOISE_MS || Math.abs(deltaPct) < NOISE_PCT;
  return { base, candidate, delta, deltaPct, change: judge(deltaPct, noise, bandPct) };
}

export function errorDelta(base: number | null, candidate: number | null, bandPct: number): Delta {
  if (base === null || candidate === null)
    return { base, candidate, delta: null, deltaPct: null, change: 'n/a' };
  const delta = candidate - base;
  const deltaPct = relative(base, delta);
  const noise = Math.abs(delta * 100) < NOISE_ERROR_PP || Math.abs(deltaPct) < NOISE_PCT;
  return { base, candidate, delta, deltaPct, change: judge(deltaPct, noise, bandPct) };
}
