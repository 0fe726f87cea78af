import type { Summary } from '../summary/summary-schema.js';
import { cell, type Table } from './table-model.js';

// A drill's steady-state rows: one per phase (before the first fault, after the last recovery),
// beside the fault table, with each criterion's value against its limit.

const PHASE_LABEL = {
  'before-faults': 'before the first fault',
  'after-recovery': 'after the last recovery',
};

export function steadyStateTable(summary: Summary): Table | undefined {
  const phases = summary.steadyState;
  if (phases === undefined || phases.length === 0) return undefined;
  const value = (criterion: string, v: number | null) =>
    v === null ? '–' : criterion === 'errorRate' ? `${(v * 100).toFixed(3)} %` : `${Math.round(v)} ms`;
  return {
    id: 'steady-state',
    title: 'Steady state',
    header: ['phase', 'requests', '5xx + timeouts', 'avg', 'p99', 'result'],
    rows: phases.map((p) => {
      const at = (criterion: string) => {
        const c = p.checks.find((k) => k.criterion === criterion);
        return c === undefined
          ? cell.num('–')
          : cell.num(
              `${value(criterion, c.value)} (< ${value(criterion, c.limit)})`,
              c.ok ? undefined : 'bad',
            );
      };
      return [
        cell.text(PHASE_LABEL[p.phase]),
        cell.num(String(p.requests)),
        at('errorRate'),
        at('avgMs'),
        at('p99Ms'),
        p.requests === 0 ? cell.text('no requests', 'muted') : cell.verdict(p.ok),
      ];
    }),
    note: 'The steady-state hypothesis holds outside the faults (limits in parentheses).',
  };
}
