import type { FaultVerdict, Summary } from '../summary/summary-schema.js';
import { clock, duration, integer, ms, NONE, percent } from './format.js';
import { type Cell, cell, type Table } from './table-model.js';
import type { TimelineFault } from './timeline.js';

// Tables for what broke and what survived: the per-fault verdicts (resilience), the post-run
// audits, and post → `posted` delivery.

/** The fault's window on the run's time axis, matched by name and order among same-named faults. */
function windowFor(
  fault: FaultVerdict,
  index: number,
  faults: readonly FaultVerdict[],
  windows: readonly TimelineFault[],
) {
  const nth = faults.slice(0, index).filter((f) => f.name === fault.name).length;
  return windows.filter((w) => w.name === fault.name)[nth];
}

export function faultTable(summary: Summary, windows: readonly TimelineFault[]): Table | undefined {
  const faults = summary.faults;
  if (faults === undefined) return undefined;
  const rows = faults.map((f, i): Cell[] => {
    const window = windowFor(f, i, faults, windows);
    const lengthS = (Date.parse(f.endedAt) - Date.parse(f.startedAt)) / 1000;
    const when =
      window === undefined
        ? duration(lengthS)
        : `${clock(window.startS)}–${clock(window.endS)} (${duration(lengthS)})`;
    // Recovery times are seconds to people; long cells are text so that they wrap.
    const recovery =
      f.recoveryMs === null
        ? cell.text('not recovered', 'bad')
        : cell.text(
            `${duration(f.recoveryMs / 1000)} (limit ${duration(f.maxRecoveryMs / 1000)})`,
            f.recoveryMs > f.maxRecoveryMs ? 'bad' : undefined,
          );
    const errors = `${integer(f.errorsInWindow)} of ${integer(f.requestsInWindow)}${
      f.errorRateInWindow === null ? '' : ` (${percent(f.errorRateInWindow)})`
    }`;
    return [
      cell.code(f.name),
      cell.text(`${f.kind} → ${f.target}${f.interrupted ? ' (interrupted)' : ''}`),
      cell.text(when),
      cell.num(f.timeToFirstErrorMs === null ? 'no errors' : ms(f.timeToFirstErrorMs)),
      recovery,
      cell.text(errors, f.errorsInWindow > 0 ? 'warn' : undefined),
      cell.num(`${ms(f.p99InWindowMs)} / ${ms(f.baselineP99Ms)}`),
      cell.text(budgetText(f), f.errorBudgetSpent === null || f.errorBudgetSpent > 1 ? 'bad' : undefined),
      cell.num(`${integer(f.wsReconnects)} / ${integer(f.wsResyncs ?? 0)}`),
      cell.verdict(f.ok),
      cell.text(f.reason),
    ];
  });
  return {
    id: 'resilience',
    title: 'Resilience: fault verdicts',
    header: [
      'fault',
      'kind → target',
      'window',
      'time to first error',
      'recovery',
      'errors in window',
      'p99 in window / baseline',
      'error budget spent',
      'reconnects / resyncs',
      'result',
      'why',
    ],
    rows,
    note:
      rows.length === 0
        ? 'The fault plan applied no faults.'
        : "Recovery counts from the fault's end (from its start for failovers) until error rate and p99 are healthy again.",
  };
}

function budgetText(f: FaultVerdict): string {
  const { failedRequests, allowed } = f.errorBudget;
  const spent = f.errorBudgetSpent === null ? 'over (none allowed)' : percent(f.errorBudgetSpent);
  return `${spent}: ${integer(failedRequests)} of ${integer(allowed)} allowed`;
}

export function auditTable(summary: Summary): Table | undefined {
  const a = summary.audits;
  if (a === undefined) return undefined;
  const count = (n: number, badWhenPositive: boolean) =>
    cell.num(integer(n), badWhenPositive && n > 0 ? 'bad' : undefined);
  const rows: Cell[][] = [
    [cell.text('posts acknowledged by the server (201)'), count(a.acknowledgedPosts, false)],
    [cell.text('acknowledged, then lost (404 on read-back)'), count(a.lostPosts, true)],
    [cell.text('not verified (no node answered)'), count(a.unverifiedPosts, true)],
    [cell.text('deliveries owed to online members'), count(a.expectedDeliveries, false)],
    [cell.text('deliveries missed (not live, replay or refetch)'), count(a.missedDeliveries, true)],
    [cell.text('result'), cell.verdict(a.ok)],
  ];
  if (a.lostPostIds.length > 0)
    rows.push([cell.text('first lost posts'), cell.code(a.lostPostIds.join(', '))]);
  if (a.missed.length > 0)
    rows.push([
      cell.text('first missed deliveries'),
      cell.code(a.missed.map((m) => `post ${m.postId} → VU ${m.memberVu}`).join(', ')),
    ]);
  return { id: 'audits', title: 'Audits', header: ['audit', 'result'], rows, note: a.reason };
}

export function deliveryTable(summary: Summary): Table {
  const d = summary.delivery;
  return {
    id: 'delivery',
    title: 'Post → posted delivery',
    header: ['posts measured', 'p50', 'p95', 'p99', 'undelivered'],
    rows: [
      [
        cell.num(integer(d.posts)),
        cell.num(ms(d.latency.p50)),
        cell.num(ms(d.latency.p95)),
        cell.num(ms(d.latency.p99)),
        cell.num(integer(d.undelivered), d.undelivered > 0 ? 'bad' : undefined),
      ],
    ],
    note:
      d.posts === 0
        ? `No post's delivery was measured in this run (${NONE}: no samples).`
        : 'From the moment the sender sent the post to each online member receiving the event.',
  };
}
