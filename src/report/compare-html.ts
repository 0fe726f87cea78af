import type { Comparison, ComparisonRow, Delta } from './compare.js';
import { CHANGE_WORDS, deltaText, KIND_TITLES, rowVerdict, rulesText } from './compare-markdown.js';
import { decimal, integer, ms, percent } from './format.js';
import { escapeHtml, renderPage } from './html-kit.js';

// compare.html: base and candidate side by side per row (overall, per action, per endpoint), with
// each change coloured: red beyond the band and worse, green beyond it and better.

const STATUS: Record<Delta['change'], string> = {
  regression: 's-bad',
  improvement: 's-ok',
  'within band': '',
  noise: 's-muted',
  'n/a': 's-muted',
};

// Eleven number columns side by side: tighter than the run report's tables.
const COMPARE_CSS = `
table.compare th, table.compare td { padding: 3px 6px; font-size: 13px; }
table.compare td:last-child { white-space: nowrap; }
`;

/** `judged`: false for rows never flagged (too few samples): their changes stay grey. */
function deltaCells(d: Delta, unit: 'ms' | 'share', judged: boolean): string {
  const f = unit === 'ms' ? ms : percent;
  const cls = judged ? STATUS[d.change] : 's-muted';
  return `<td class="num">${escapeHtml(f(d.base))}</td><td class="num">${escapeHtml(f(d.candidate))}</td><td class="num ${cls}" title="${escapeHtml(CHANGE_WORDS[d.change])}">${escapeHtml(deltaText(d, unit))}</td>`;
}

function rowHtml(r: ComparisonRow): string {
  const verdict = rowVerdict(r);
  const cls = r.regression ? 's-bad' : r.improvement ? 's-ok' : 's-muted';
  const judged = !r.fewSamples && r.onlyIn === undefined;
  return `<tr data-kind="${r.kind}" data-regression="${r.regression}"><td><code>${escapeHtml(r.name)}</code></td><td class="num">${integer(
    r.samples.base,
  )}</td><td class="num">${integer(r.samples.candidate)}</td>${deltaCells(r.avg, 'ms', judged)}${deltaCells(r.p99, 'ms', judged)}${deltaCells(r.errorRate, 'share', judged)}<td class="${cls}">${escapeHtml(verdict)}</td></tr>`;
}

export function renderCompareHtml(c: Comparison): string {
  const n = c.regressions.length;
  const banner =
    n > 0
      ? `<div class="banner s-bad" id="verdict"><span class="label">REGRESSION</span><span class="reason">${n} row(s) beyond ${escapeHtml(decimal(c.bandPct, 2))} %</span></div>`
      : `<div class="banner s-ok" id="verdict"><span class="label">NO REGRESSION</span><span class="reason">nothing beyond ${escapeHtml(decimal(c.bandPct, 2))} %</span></div>`;
  const runLine = (role: string, r: Comparison['base']) =>
    `<li><b>${role}</b>: <code>${escapeHtml(r.id)}</code> — ${escapeHtml(r.title)}, ${escapeHtml(r.startedAt)}, verdict ${escapeHtml(r.verdict)}${r.partial ? ' (partial run)' : ''}</li>`;
  const sections = (['overall', 'action', 'endpoint'] as const)
    .map((kind) => {
      const rows = c.rows.filter((r) => r.kind === kind);
      if (rows.length === 0) return '';
      return `<section id="compare-${kind}"><h2>${escapeHtml(KIND_TITLES[kind])}</h2><div class="table-wrap"><table class="compare">
<thead><tr><th rowspan="2">name</th><th colspan="2">samples</th><th colspan="3">avg</th><th colspan="3">p99</th><th colspan="3">error rate</th><th rowspan="2">result</th></tr>
<tr><th>base</th><th>candidate</th><th>base</th><th>candidate</th><th>Δ</th><th>base</th><th>candidate</th><th>Δ</th><th>base</th><th>candidate</th><th>Δ</th></tr></thead>
<tbody>${rows.map(rowHtml).join('\n')}</tbody></table></div></section>`;
    })
    .join('\n');
  const body = `<main>
<h1>mmdrill compare</h1>
${banner}
<ul>${runLine('base', c.base)}${runLine('candidate', c.candidate)}</ul>
<p class="note">${escapeHtml(rulesText(c))}</p>
${sections || '<p class="note">Neither run has latency series to compare.</p>'}
</main>`;
  return renderPage({ title: `mmdrill compare: ${c.base.id} → ${c.candidate.id}`, css: COMPARE_CSS, body });
}
