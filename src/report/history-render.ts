import { DRIFT_CSS, svgLineChart } from './drift-html.js';
import type { History } from './history.js';
import { escapeHtml, renderPage, renderTables } from './html-kit.js';
import { markdownTable } from './markdown.js';
import { cell, type Table } from './table-model.js';

// history.html and history.md: one point per run for each key figure, the band of normal
// variation shaded, the runs that broke it marked in red and listed. Plain SVG, no script.

function value(v: number | null, unit: string): string {
  if (v === null) return '–';
  return unit === '%' ? `${v.toFixed(3)} %` : `${v.toFixed(v >= 100 ? 0 : 1)} ${unit}`;
}

function runsTable(history: History): Table {
  const broken = new Set(history.broken);
  return {
    id: 'history-runs',
    title: 'Runs',
    header: ['run', 'started', 'verdict', ...history.figures.map((f) => f.figure.label), 'band'],
    rows: history.runs.map((r, i) => [
      cell.code(r.id),
      cell.text(r.summary.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
      cell.verdict(r.summary.verdict === 'pass', 'pass', r.summary.verdict.toUpperCase()),
      ...history.figures.map((f) =>
        cell.num(value(f.values[i] ?? null, f.figure.unit), f.broken.includes(i) ? 'bad' : undefined),
      ),
      broken.has(i) ? cell.text('BROKE THE BAND', 'bad') : cell.text('within', 'muted'),
    ]),
    note:
      history.baseline === null
        ? 'No run passed: there is no baseline for mmdrill compare.'
        : `Baseline for mmdrill compare (last passing run): ${history.runs[history.baseline]!.id}.`,
  };
}

function bandsTable(history: History): Table {
  return {
    id: 'history-bands',
    title: 'Band of normal variation',
    header: ['figure', 'median', 'low', 'high', 'runs outside (worse side)'],
    rows: history.figures.map((f) => [
      cell.text(f.figure.label),
      cell.num(f.band ? value(f.band.median, f.figure.unit) : '–'),
      cell.num(f.band ? value(f.band.low, f.figure.unit) : '–'),
      cell.num(f.band ? value(f.band.high, f.figure.unit) : '–'),
      f.broken.length === 0
        ? cell.text('none', 'muted')
        : cell.text(f.broken.map((i) => history.runs[i]!.id).join(', '), 'bad'),
    ]),
    note: 'Median ± 3 scaled median absolute deviations (at least ± 5 % of the median); needs 3 runs.',
  };
}

function headline(history: History): string {
  const n = history.runs.length;
  if (history.broken.length === 0) return `${n} run(s): every key figure within its band`;
  return `${n} run(s): ${history.broken.length} broke the band: ${history.broken.map((i) => history.runs[i]!.id).join(', ')}`;
}

export function renderHistoryHtml(history: History): string {
  const charts = history.figures
    .filter((f) => f.values.some((v) => v !== null))
    .map((f) => {
      const points: { x: number; y: number }[] = [];
      const marked = new Set<number>();
      f.values.forEach((v, i) => {
        if (v === null) return;
        if (f.broken.includes(i)) marked.add(points.length);
        points.push({ x: i + 1, y: v });
      });
      const svg = svgLineChart({
        points,
        ...(f.band && { band: { low: f.band.low, high: f.band.high } }),
        marked,
        formatY: (v) => value(v, f.figure.unit),
        formatX: (v) => `run ${Math.round(v)}`,
        label: `${f.figure.label} per run with its band`,
      });
      return `<figure class="drift-chart" id="history-${escapeHtml(f.figure.key)}" data-broken="${f.broken.length}"><h3>${escapeHtml(f.figure.label)}</h3>${svg}</figure>`;
    });
  const status = history.broken.length === 0 ? 'ok' : 'bad';
  const body = `<main>
<h1>mmdrill history</h1>
<div class="banner s-${status}" id="verdict" role="status"><span class="reason">${escapeHtml(headline(history))}</span></div>
<section id="history-charts"><h2>Key figures per run (shaded: the band; red: broke it)</h2><div class="drift-charts">${charts.join('')}</div></section>
${renderTables([runsTable(history), bandsTable(history)])}
<p class="note">Written by mmdrill history.</p>
</main>`;
  return renderPage({
    title: `mmdrill history: ${headline(history)}`,
    css: DRIFT_CSS,
    body,
  });
}

export function renderHistoryMarkdown(history: History): string {
  return [
    '## mmdrill history',
    '',
    history.broken.length === 0 ? `**${headline(history)}**` : `> [!WARNING]\n> ${headline(history)}`,
    '',
    markdownTable(runsTable(history)),
    markdownTable(bandsTable(history)),
  ].join('\n');
}
