import type { Summary } from '../summary/summary-schema.js';
import { clock, decimal, integer, ms, percent } from './format.js';
import { escapeHtml } from './html-kit.js';
import { type Cell, cell, type Table } from './table-model.js';
import type { IntervalLine } from './timeseries.js';

// The capacity search in the reports: the result and the tier recommendation, each criterion with
// its breaches, and (HTML) the active users over time with every breached second marked, drawn as
// an inline SVG so the page stays self-contained without a script.

const OUTCOME: Readonly<Record<string, string>> = {
  settled: 'settled',
  'max-users': 'reached the maximum without a breach (a lower bound)',
  'harness-bound': 'harness-bound: the harness saturated first',
  'max-duration': 'did not settle within the time limit',
  interrupted: 'interrupted',
  held: 'the users held every criterion',
  'not-held': 'the users did not hold the criteria',
};

export function capacityTable(summary: Summary): Table | undefined {
  const c = summary.capacity;
  if (c === undefined) return undefined;
  const good = c.outcome === 'settled' || c.outcome === 'max-users' || c.outcome === 'held';
  const supported =
    c.supportedUsers === null ? '–' : `${c.atLeast ? 'at least ' : ''}${decimal(c.supportedUsers, 1)} users`;
  const rows: Cell[][] = [
    [cell.text('supported users'), cell.text(supported, good ? 'ok' : 'bad')],
    [cell.text('outcome'), cell.text(OUTCOME[c.outcome] ?? c.outcome, good ? undefined : 'bad')],
    ...(c.harnessBound ? [[cell.text('harness-bound'), cell.text(c.harnessBound.reason, 'warn')]] : []),
    [
      cell.text('limiting criterion'),
      c.limitingCriterion === null ? cell.text('–') : cell.code(c.limitingCriterion),
    ],
    [
      cell.text('search'),
      cell.text(
        c.mode === 'bounded'
          ? `bounded: ${c.settings.users} users held, ramped ${c.settings.step} at a time`
          : `step ${c.settings.step}, rest ${c.settings.restS} s, settle window ${c.settle.windowS} s (slope ${c.settle.slope ?? '–'} users/s, limit ${c.settle.slopeLimit}), at most ${c.settings.maxUsers} users`,
      ),
    ],
    [
      cell.text('first breach'),
      cell.text(
        c.firstBreachS === null
          ? 'none'
          : `${clock(c.firstBreachS)}; ${integer(c.breachCount)} breached seconds × criteria in all`,
      ),
    ],
    [cell.text('peak users'), cell.num(integer(c.peakUsers))],
    [cell.text('settled at'), cell.text(c.settledAt ?? '–')],
    [
      cell.text('server metrics'),
      cell.text(
        c.serverMetrics === 'none'
          ? 'not available: app CPU, memory and 5xx not judged'
          : `from the app nodes (${c.serverMetrics})`,
      ),
    ],
    [cell.text('reference tier'), cell.text(c.recommendation.text)],
  ];
  return { id: 'capacity', title: 'Capacity', header: ['', ''], rows };
}

export function capacityCriteriaTable(summary: Summary): Table | undefined {
  const c = summary.capacity;
  if (c === undefined) return undefined;
  const show = (unit: 'share' | 'ms', v: number | null) =>
    v === null ? '–' : unit === 'ms' ? ms(v) : percent(v);
  const rows = c.criteria.map((k): Cell[] => [
    cell.code(k.id),
    cell.text(k.check),
    cell.num(show(k.unit, k.limit)),
    cell.num(show(k.unit, k.worst), k.worst !== null && k.worst >= k.limit ? 'bad' : undefined),
    cell.num(integer(k.breaches), k.breaches > 0 ? 'warn' : undefined),
    cell.num(k.evaluatedSeconds === 0 ? 'not measured' : integer(k.evaluatedSeconds)),
  ]);
  return {
    id: 'capacity-criteria',
    title: 'Capacity criteria',
    header: ['criterion', 'check', 'limit', 'worst second', 'breached seconds', 'seconds judged'],
    rows,
    note: 'Each second is judged on its own; a breach is a value at or above the limit.',
  };
}

const W = 900;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** Active users over time, each breached second marked in red (HTML only). */
export function capacityUsersChart(summary: Summary, intervals: readonly IntervalLine[]): string {
  const c = summary.capacity;
  if (c === undefined || intervals.length === 0) return '';
  const maxT = Math.max(1, intervals.at(-1)!.elapsedS);
  const maxU = Math.max(1, c.peakUsers, ...intervals.map((l) => l.vus));
  const x = (t: number) => PAD.left + (t / maxT) * (W - PAD.left - PAD.right);
  const y = (u: number) => H - PAD.bottom - (u / maxU) * (H - PAD.top - PAD.bottom);
  const line = intervals.map((l) => `${x(l.elapsedS).toFixed(1)},${y(l.vus).toFixed(1)}`).join(' ');
  const seen = new Set<string>();
  const marks = c.breaches
    .filter((b) => {
      const key = b.elapsedS.toFixed(0);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(
      (b) =>
        `<circle cx="${x(b.elapsedS).toFixed(1)}" cy="${y(b.users).toFixed(1)}" r="3" class="breach"><title>${escapeHtml(`${clock(b.elapsedS)}: ${b.criterion} at ${b.users} users`)}</title></circle>`,
    )
    .join('');
  const supported =
    c.supportedUsers === null
      ? ''
      : `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(c.supportedUsers).toFixed(1)}" y2="${y(c.supportedUsers).toFixed(1)}" class="supported"><title>supported: ${c.supportedUsers}</title></line>`;
  const axes = `<text x="4" y="${PAD.top + 10}">${maxU}</text><text x="4" y="${H - PAD.bottom}">0</text><text x="${PAD.left}" y="${H - 8}">0:00</text><text x="${W - PAD.right - 40}" y="${H - 8}">${clock(maxT)}</text>`;
  return `<section id="capacity-users"><h2>Users over time</h2>
<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="active users over time; red dots: breached seconds">
<style>.users{fill:none;stroke:#0969da;stroke-width:1.5}.breach{fill:#cf222e}.supported{stroke:#1a7f37;stroke-dasharray:4 3}text{font-size:11px;fill:#656d76}</style>
<polyline class="users" points="${line}"/>${supported}${marks}${axes}</svg>
<p class="note">Blue: active users; red dots: seconds in which a criterion was breached${c.breachCount > c.breaches.length ? ` (the first ${c.breaches.length})` : ''}; green dashes: the supported figure.</p></section>`;
}
