import type { Summary } from '../summary/summary-schema.js';
import { cell, type Table } from './table-model.js';

// The egress watch's findings (issue 16), one row per outbound attempt of the app tier, for the
// HTML and Markdown reports alike; a watched run without attempts gets one row saying so.

const KIND_LABEL = {
  'dns-query': 'DNS query (answered with a loopback trap)',
  'trap-connection': 'connection to the trap',
  'blocked-connection': 'connection blocked before it left loopback',
};

export function egressTable(summary: Summary): Table | undefined {
  const egress = summary.egress;
  if (egress === undefined) return undefined;
  const rows = egress.findings.map((f) => [
    cell.text(f.at),
    cell.text(f.component),
    cell.text(KIND_LABEL[f.kind]),
    cell.text(f.name ?? '–'),
    cell.text(f.address ? `${f.address}${f.port !== undefined ? `:${f.port}` : ''}` : '–'),
    cell.verdict(!egress.failOnFinding),
  ]);
  return {
    id: 'egress',
    title: 'Egress watch',
    header: ['time', 'component', 'attempt', 'name', 'destination', 'result'],
    rows:
      rows.length > 0
        ? rows
        : [
            [
              cell.text('–'),
              cell.text('app tier'),
              cell.text('no attempt to reach outside the stack'),
              cell.text('–'),
              cell.text('–'),
              cell.verdict(true),
            ],
          ],
    note: egress.failOnFinding
      ? 'Outbound attempts of the app tier to anything outside the stack; each fails the run (egressWatch.failOnFinding).'
      : 'Outbound attempts of the app tier to anything outside the stack; reported only (egressWatch.failOnFinding: false).',
  };
}
