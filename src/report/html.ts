import { capacityUsersChart } from './capacity-tables.js';
import { chartLibrary } from './chart-library.js';
import { DRIFT_CSS, driftChartsHtml } from './drift-html.js';
import { CHART_CSS, CHART_SCRIPT, renderCharts } from './html-charts.js';
import { escapeHtml, renderPage, renderTables } from './html-kit.js';
import { preparationNote } from './preparation-table.js';
import { reportTables } from './report-tables.js';
import type { RunData } from './run-data.js';
import { headline, keyFigures, runTitle } from './run-info.js';

// report.html: one self-contained file a person opens after a drill. Verdict banner, charts over
// time with fault windows, then the tables. The chart library is inlined; the page's security
// policy forbids loading anything else, so it works offline and leaks nothing when opened.

export function renderHtmlReport(run: RunData): string {
  const { summary, timeline } = run;
  const lib = chartLibrary();
  const head = headline(summary);
  const charts = renderCharts(timeline.intervals, timeline.faults);
  const figures = keyFigures(summary)
    .map((f) => `<li><b>${escapeHtml(f.value)}</b>${escapeHtml(f.label)}</li>`)
    .join('');
  const before = preparationNote(summary);
  const preparation =
    before === undefined || charts.html === ''
      ? ''
      : `<p class="note" id="preparation-note">${escapeHtml(before)}</p>\n`;
  const skipped =
    timeline.skippedLines > 0
      ? `<p class="note">${timeline.skippedLines} unreadable line(s) in timeseries.ndjson were skipped.</p>`
      : '';
  const body = `<main>
<h1>mmdrill: ${escapeHtml(runTitle(summary))}</h1>
<div class="banner s-${head.status}" id="verdict" role="status"><span class="label">${head.label}</span><span class="reason">${escapeHtml(head.reason)}</span></div>
${head.partialNote ? `<div class="partial" id="partial">${escapeHtml(head.partialNote)}</div>` : ''}
<ul class="figures">${figures}</ul>
${capacityUsersChart(summary, timeline.intervals)}${preparation}${charts.html}${driftChartsHtml(summary)}${skipped}
${renderTables(reportTables(summary, timeline.faults, run.id, { endpoints: true }))}
<p class="note">Written by mmdrill; charts drawn with uPlot ${escapeHtml(lib.version)} (MIT), inlined.</p>
</main>
${charts.dataScript}`;
  return renderPage({
    title: `mmdrill ${head.label}: ${runTitle(summary)}${summary.partial ? ' (partial)' : ''}`,
    css: lib.css + CHART_CSS + DRIFT_CSS,
    body,
    scripts: charts.dataScript === '' ? [] : [lib.script, CHART_SCRIPT],
    notice: `Contains uPlot ${lib.version} (https://github.com/leeoniya/uPlot):\n${lib.licence}`,
  });
}
