import { mmdrillVersion } from '../common/package-root.js';
import type { Summary } from '../summary/summary-schema.js';
import { commandLine, decimal, duration, ms, percent } from './format.js';
import { type CellStatus, cell, type Table } from './table-model.js';

// The verdict banner's words and the "about this run" table: scenario, environment, timing,
// harness health, versions and the command line (already redacted in summary.json).

export interface Headline {
  label: 'PASS' | 'FAIL' | 'INVALID';
  status: CellStatus;
  reason: string;
  /** Set for interrupted runs: every report says so next to the verdict. */
  partialNote?: string;
}

export function headline(summary: Summary): Headline {
  const label = summary.verdict === 'pass' ? 'PASS' : summary.verdict === 'fail' ? 'FAIL' : 'INVALID';
  const status: CellStatus = summary.verdict === 'pass' ? 'ok' : summary.verdict === 'fail' ? 'bad' : 'warn';
  const out: Headline = { label, status, reason: summary.reason };
  if (summary.partial)
    out.partialNote = `Partial run: interrupted after ${duration(summary.durationS)}; the results cover only that part.`;
  return out;
}

/** `messaging on native`: what a reader needs to tell runs apart. */
export function runTitle(summary: Summary): string {
  const what = summary.drill
    ? `drill ${summary.drill.name}${summary.drill.short ? ' (short form)' : ''}`
    : summary.scenario.name;
  return `${what} on ${summary.environment.name}`;
}

export function runInfoTable(summary: Summary, runId: string): Table {
  const h = summary.harness;
  const scenarios = summary.scenario.scenarios?.length ? ` (${summary.scenario.scenarios.join(', ')})` : '';
  const rows = [
    [cell.text('run'), cell.code(runId)],
    [cell.text('scenario'), cell.text(`${summary.scenario.name}${scenarios}`)],
    ...(summary.scenario.file ? [[cell.text('scenario file'), cell.code(summary.scenario.file)]] : []),
    [
      cell.text('environment'),
      cell.text(
        `${summary.environment.name} (${summary.environment.provider}) at ${summary.environment.url}`,
      ),
    ],
    [cell.text('started'), cell.text(summary.startedAt)],
    [cell.text('ended'), cell.text(summary.endedAt)],
    [
      cell.text('duration'),
      cell.text(`${duration(summary.durationS)}${summary.partial ? ' (interrupted: partial run)' : ''}`),
    ],
    [
      cell.text('harness'),
      cell.text(
        `CPU ${percent(h.cpu)} of a core, event-loop delay p99 ${ms(h.eventLoopDelayP99Ms)}${
          h.eventLoopDelayMaxMs === undefined ? '' : `, max ${ms(h.eventLoopDelayMaxMs)}`
        }${h.saturated ? ` — SATURATED: ${h.reason ?? 'the harness was the bottleneck'}` : ''}`,
        h.saturated ? 'bad' : undefined,
      ),
    ],
    [
      cell.text('versions'),
      cell.text(`mmdrill ${mmdrillVersion()}, Node.js ${process.versions.node} (report writer)`),
    ],
    [cell.text('command'), cell.code(commandLine(summary.command))],
  ];
  return { id: 'run', title: 'About this run', header: ['', ''], rows };
}

/** `12.4 req/s` over the run, for the banner's key figures. */
export function keyFigures(summary: Summary): { label: string; value: string }[] {
  const reqs = summary.metrics.http_reqs;
  const duration_ = summary.metrics.http_req_duration;
  const failed = summary.metrics.http_req_failed;
  const out: { label: string; value: string }[] = [];
  if (reqs?.type === 'counter') out.push({ label: 'requests', value: `${decimal(reqs.rate, 1)}/s` });
  if (duration_?.type === 'trend') out.push({ label: 'p99 latency', value: ms(duration_.p99) });
  if (failed?.type === 'rate') out.push({ label: 'failed requests', value: percent(failed.rate) });
  out.push({ label: 'delivery p99', value: ms(summary.delivery.latency.p99) });
  if (summary.faults?.length) {
    const ok = summary.faults.filter((f) => f.ok).length;
    out.push({ label: 'faults survived', value: `${ok} of ${summary.faults.length}` });
  }
  return out;
}
