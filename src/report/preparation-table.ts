import { METRIC } from '../metrics/api.js';
import type { Summary } from '../summary/summary-schema.js';
import { duration, integer, ms } from './format.js';
import { cell, type Table } from './table-model.js';

// The headline p99 covers the whole run, the preparation before the load included (every VU's
// login and first load: the heaviest requests of a session), while the charts start with the
// load. This table puts the two side by side, so that the headline figures can be found in the
// report and the difference between them and the charts is explained where a reader looks.

export const PREPARATION_TABLE_TITLE = 'Preparation and the whole run';

/** Undefined when the run recorded no preparation (reports of older runs, k6 summaries). */
export function preparationTable(summary: Summary): Table | undefined {
  const p = summary.preparation;
  if (p === undefined) return undefined;
  const reqs = summary.metrics[METRIC.httpReqs];
  const trend = summary.metrics[METRIC.httpReqDuration];
  const failed = summary.metrics[METRIC.httpReqFailed];
  const rows = [
    [
      cell.text('preparation (before the load: logins, first loads)'),
      cell.num(duration(p.durationS)),
      cell.num(integer(p.requests)),
      cell.num(integer(p.failedRequests), p.failedRequests > 0 ? 'bad' : undefined),
      cell.num(ms(p.latency.p50)),
      cell.num(ms(p.latency.p95)),
      cell.num(ms(p.latency.p99)),
      cell.num(ms(p.latency.max)),
    ],
  ];
  if (trend?.type === 'trend')
    rows.push([
      cell.text('whole run (the headline figures)'),
      cell.num(duration(summary.durationS)),
      cell.num(integer(reqs?.type === 'counter' ? reqs.count : null)),
      cell.num(integer(failed?.type === 'rate' ? failed.passes : null)),
      cell.num(ms(trend.med)),
      cell.num(ms(trend.p95)),
      cell.num(ms(trend.p99)),
      cell.num(ms(trend.max)),
    ]);
  return {
    id: 'preparation',
    title: PREPARATION_TABLE_TITLE,
    header: ['phase', 'duration', 'requests', 'failed', 'p50', 'p95', 'p99', 'max'],
    rows,
    note: 'The charts start when the load starts, after the preparation; the headline latency covers the whole run, preparation included.',
  };
}

/** One sentence for above the charts: what happened before their first second. */
export function preparationNote(summary: Summary): string | undefined {
  const p = summary.preparation;
  if (p === undefined) return undefined;
  return `The charts start with the load. Before it, ${duration(p.durationS)} of preparation (${integer(p.requests)} requests, p99 ${ms(p.latency.p99)}, max ${ms(p.latency.max)}) — counted in the headline figures; see "${PREPARATION_TABLE_TITLE}".`;
}
