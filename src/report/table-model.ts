import { parseSelector, type Selector } from '../metrics/series-name.js';
import type { MetricSummary, Summary } from '../summary/summary-schema.js';

// The tables every report format shows, built once from summary.json as plain text cells. The
// HTML and Markdown writers only render them, so the two can never disagree about a number.

/** How a cell is marked: green, red, amber, or de-emphasised. */
export type CellStatus = 'ok' | 'bad' | 'warn' | 'muted';

export interface Cell {
  text: string;
  status?: CellStatus;
  /** A name to show verbatim in monospace (metric names, endpoints, expressions). */
  code?: boolean;
  /** Right-aligned (numbers). */
  numeric?: boolean;
}

export interface Table {
  /** Stable id (HTML anchors, tests). */
  id: string;
  title: string;
  header: string[];
  rows: Cell[][];
  /** One sentence under the table; also said when there are no rows. */
  note?: string;
}

export const cell = {
  text: (text: string, status?: CellStatus): Cell => (status ? { text, status } : { text }),
  code: (text: string): Cell => ({ text, code: true }),
  num: (text: string, status?: CellStatus): Cell =>
    status ? { text, numeric: true, status } : { text, numeric: true },
  verdict: (ok: boolean, okText = 'pass', badText = 'FAIL'): Cell => ({
    text: ok ? okText : badText,
    status: ok ? 'ok' : 'bad',
  }),
};

/** One parsed series of summary.json's metrics: `name{tag:value}` with its summary. */
export interface Series {
  key: string;
  selector: Selector;
  metric: MetricSummary;
}

/** Every series of `name`, parsed (keys that do not parse are skipped, not fatal). */
export function seriesOf(summary: Pick<Summary, 'metrics'>, name: string): Series[] {
  const out: Series[] = [];
  for (const [key, metric] of Object.entries(summary.metrics)) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    try {
      out.push({ key, selector: parseSelector(key), metric });
    } catch {
      // A key from a newer writer that this one cannot parse: leave it out of the tables.
    }
  }
  return out;
}

export type TrendMetric = Extract<MetricSummary, { type: 'trend' }>;
export type RateMetric = Extract<MetricSummary, { type: 'rate' }>;
export type CounterMetric = Extract<MetricSummary, { type: 'counter' }>;

export function trendOf(summary: Pick<Summary, 'metrics'>, key: string): TrendMetric | undefined {
  const m = summary.metrics[key];
  return m?.type === 'trend' ? m : undefined;
}

export function rateMetricOf(summary: Pick<Summary, 'metrics'>, key: string): RateMetric | undefined {
  const m = summary.metrics[key];
  return m?.type === 'rate' ? m : undefined;
}

export function counterOf(summary: Pick<Summary, 'metrics'>, key: string): CounterMetric | undefined {
  const m = summary.metrics[key];
  return m?.type === 'counter' ? m : undefined;
}

/** True when the selector's tags are exactly `names` (in any order). */
export function hasExactlyTags(selector: Selector, names: readonly string[]): boolean {
  const keys = Object.keys(selector.tags);
  return keys.length === names.length && names.every((n) => Object.hasOwn(selector.tags, n));
}
