import type { Summary } from '../summary/summary-schema.js';
import { decimal, integer, ms, NONE, percent } from './format.js';
import {
  type Cell,
  cell,
  counterOf,
  hasExactlyTags,
  rateMetricOf,
  seriesOf,
  type Table,
  type TrendMetric,
} from './table-model.js';

// Tables built from summary.json's metrics and thresholds: per user action, per endpoint, the
// thresholds as judged, and the target set's checks.

export interface ActionStats {
  action: string;
  trend: TrendMetric;
  /** Actions that failed (mm_actions{ok:false}). */
  errors: number;
  /** errors / (ok + failed) actions; null without any. */
  errorRate: number | null;
}

/** Per-action statistics from `mm_action_duration{action:…}` and `mm_actions{action,ok}`. */
export function actionStats(summary: Pick<Summary, 'metrics'>): ActionStats[] {
  const out: ActionStats[] = [];
  for (const s of seriesOf(summary, 'mm_action_duration')) {
    if (s.metric.type !== 'trend' || !hasExactlyTags(s.selector, ['action'])) continue;
    const action = s.selector.tags.action!;
    const failed = counterOf(summary, `mm_actions{action:${action},ok:false}`)?.count ?? 0;
    const passed = counterOf(summary, `mm_actions{action:${action},ok:true}`)?.count ?? 0;
    const total = failed + passed;
    out.push({ action, trend: s.metric, errors: failed, errorRate: total > 0 ? failed / total : null });
  }
  return out.sort((a, b) => a.action.localeCompare(b.action));
}

export function actionTable(summary: Summary): Table {
  const seconds = summary.durationS > 0 ? summary.durationS : null;
  const row = (name: Cell, trend: TrendMetric, errors: number, errorRate: number | null): Cell[] => [
    name,
    cell.num(integer(trend.count)),
    cell.num(seconds === null ? NONE : `${decimal(trend.count / seconds, 2)}/s`),
    cell.num(ms(trend.med)),
    cell.num(ms(trend.p95)),
    cell.num(ms(trend.p99)),
    cell.num(ms(trend.max)),
    cell.num(
      errorRate === null ? integer(errors) : `${integer(errors)} (${percent(errorRate)})`,
      errors > 0 ? 'bad' : undefined,
    ),
  ];
  const stats = actionStats(summary);
  const rows = stats.map((s) => row(cell.code(s.action), s.trend, s.errors, s.errorRate));
  const all = summary.metrics.mm_action_duration;
  if (all?.type === 'trend' && stats.length > 1) {
    const errors = stats.reduce((n, s) => n + s.errors, 0);
    const actions = stats.reduce((n, s) => n + s.trend.count, 0);
    rows.push(row(cell.text('all actions', 'muted'), all, errors, actions > 0 ? errors / actions : null));
  }
  return {
    id: 'actions',
    title: 'User actions',
    header: ['action', 'count', 'rate', 'p50', 'p95', 'p99', 'max', 'errors'],
    rows,
    note:
      rows.length === 0
        ? 'No user actions were recorded (mm_action_duration has no per-action series).'
        : 'Durations from the intended start of each action (open model: waiting counts).',
  };
}

/** One row per HTTP series `http_req_duration{action,method,name,status}`. */
export function endpointTable(summary: Summary): Table {
  const rows: Cell[][] = [];
  const series = seriesOf(summary, 'http_req_duration')
    .filter((s) => s.metric.type === 'trend' && s.selector.tags.name !== undefined)
    .sort((a, b) => a.key.localeCompare(b.key));
  for (const s of series) {
    if (s.metric.type !== 'trend') continue;
    const { action, method, name, status } = s.selector.tags;
    const failedKey = s.key.replace(/^http_req_duration/, 'http_req_failed');
    const failed = rateMetricOf(summary, failedKey)?.passes ?? 0;
    const statusCode = Number(status);
    rows.push([
      cell.code(`${method ?? ''} ${name ?? ''}`.trim()),
      cell.text(action ?? NONE),
      cell.num(status ?? NONE, statusCode >= 400 ? 'bad' : undefined),
      cell.num(integer(s.metric.count)),
      cell.num(ms(s.metric.med)),
      cell.num(ms(s.metric.p95)),
      cell.num(ms(s.metric.p99)),
      cell.num(ms(s.metric.max)),
      cell.num(integer(failed), failed > 0 ? 'bad' : undefined),
    ]);
  }
  return {
    id: 'endpoints',
    title: 'HTTP requests by endpoint',
    header: ['endpoint', 'action', 'status', 'count', 'p50', 'p95', 'p99', 'max', 'failed'],
    rows,
    note: rows.length === 0 ? 'No per-endpoint series in this run.' : undefined,
  };
}

/** A threshold's measured value in the unit its aggregation implies. */
export function thresholdValue(metric: string, expression: string, value: number | null): string {
  if (value === null) return `${NONE} (no samples)`;
  const aggregation = expression.trim().match(/^[a-z]+/i)?.[0] ?? '';
  if (aggregation === 'rate') return percent(value);
  if (aggregation === 'count') return integer(value);
  if (['p', 'avg', 'med', 'min', 'max'].includes(aggregation) && /duration|latency|time|delay/.test(metric))
    return ms(value);
  return decimal(value, 3);
}

export function thresholdTable(summary: Summary): Table {
  const rows = summary.thresholds.map((t) => [
    cell.code(t.metric),
    cell.code(t.expression),
    cell.num(thresholdValue(t.metric, t.expression, t.value), t.value === null ? 'muted' : undefined),
    t.value === null ? cell.text('no samples', 'muted') : cell.verdict(t.ok),
    cell.text(t.source ?? 'scenario', 'muted'),
  ]);
  return {
    id: 'thresholds',
    title: 'Thresholds',
    header: ['metric', 'threshold', 'value', 'result', 'from'],
    rows,
    note:
      rows.length === 0
        ? 'The scenario set no thresholds.'
        : 'A series without samples is not judged and counts as passed (as in k6).',
  };
}

export function targetTable(summary: Summary): Table | undefined {
  if (summary.targets === undefined) return undefined;
  const rows = summary.targets.checks.map((c) => [
    cell.text(c.check),
    cell.text(c.limit),
    cell.num(
      c.value === undefined || c.metric === undefined || c.expression === undefined
        ? NONE
        : thresholdValue(c.metric, c.expression, c.value),
    ),
    c.status === 'not-evaluated' ? cell.text('not evaluated', 'muted') : cell.verdict(c.status === 'pass'),
    cell.text(c.note ?? '', 'muted'),
  ]);
  return {
    id: 'targets',
    title: `Target set: ${summary.targets.name}`,
    header: ['check', 'limit', 'value', 'result', 'note'],
    rows,
    note: '"not evaluated" is never a pass: the run could not measure it.',
  };
}
