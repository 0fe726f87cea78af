import type { Summary } from '../summary/summary-schema.js';
import { type Cell, cell, type Table } from './table-model.js';

// The sovereignty audit in the reports: one row per control with what was found, what is
// expected and, for a failed control, how to fix it; in JUnit, one test case per control.

const STATUS: Record<string, Cell> = {
  pass: { text: 'pass', status: 'ok' },
  fail: { text: 'FAIL', status: 'bad' },
  'not-applicable': { text: 'not applicable', status: 'muted' },
  unknown: { text: 'unknown', status: 'warn' },
};

export function sovereigntyTable(summary: Summary): Table | undefined {
  const s = summary.sovereignty;
  if (s === undefined) return undefined;
  const { pass, fail, notApplicable, unknown } = s.counts;
  return {
    id: 'sovereignty',
    title: 'Sovereignty controls',
    header: ['Control', 'Title', 'Result', 'Found', 'Expected', 'How to fix', 'NIST 800-53'],
    rows: s.controls.map((c) => [
      cell.code(c.id),
      cell.text(c.title),
      STATUS[c.status] ?? cell.text(c.status),
      cell.text(c.note ? `${c.found} (${c.note})` : c.found),
      cell.text(c.expected),
      cell.text(c.status === 'fail' ? c.fix : ''),
      cell.text(c.nist.join(', ')),
    ]),
    note: `${s.url}: ${pass} passed, ${fail} failed, ${notApplicable} not applicable, ${unknown} unknown.${
      s.problems.length > 0 ? ` Not read: ${s.problems.join('; ')}.` : ''
    }`,
  };
}

export interface SovereigntyCase {
  name: string;
  failure?: { message: string; type: string; details?: string };
  skipped?: string;
  out?: string;
}

export function sovereigntyCases(summary: Summary): SovereigntyCase[] {
  return (summary.sovereignty?.controls ?? []).map((c) => {
    const name = `${c.id}: ${c.title}`;
    const seen = `found ${c.found}, expected ${c.expected}`;
    if (c.status === 'fail')
      return {
        name,
        failure: {
          type: 'sovereignty',
          message: `${c.id}: ${seen}`,
          details: `${c.id}: ${seen}\nWhy: ${c.why}\nFix: ${c.fix}\nNIST 800-53: ${c.nist.join(', ')}`,
        },
      };
    if (c.status === 'not-applicable') return { name, skipped: `not applicable: ${c.note ?? ''}` };
    if (c.status === 'unknown') return { name, skipped: `unknown: ${c.note ?? c.found}` };
    return { name, out: seen };
  });
}
