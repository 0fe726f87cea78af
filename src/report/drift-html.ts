import type { DriftSeriesReport } from '../summary/drift-schema.js';
import type { Summary } from '../summary/summary-schema.js';
import { formatDriftQuantity } from '../verdict/drift.js';
import { escapeHtml } from './html-kit.js';

// report.html's drift charts: one small SVG per measured series, its window points joined and
// the fitted least-squares line dashed over them. Plain SVG drawn on the server: no script, so
// the page's security policy and offline use are untouched, and history.html can reuse it.

const WIDTH = 360;
const HEIGHT = 150;
const PAD = { left: 64, right: 8, top: 8, bottom: 22 };

export const DRIFT_CSS = `.drift-charts{display:flex;flex-wrap:wrap;gap:12px}.drift-chart{border:1px solid #d0d7de;border-radius:6px;padding:6px}.drift-chart h3{font-size:13px;margin:0 0 4px}.drift-chart svg text{font:10px sans-serif;fill:#656d76}`;

export interface LinePoint {
  x: number;
  y: number;
}

/** An SVG line chart with an optional fitted line and marked points (history reuses it). */
export function svgLineChart(options: {
  points: readonly LinePoint[];
  fitted?: readonly [LinePoint, LinePoint];
  band?: { low: number; high: number };
  marked?: ReadonlySet<number>;
  formatY: (value: number) => string;
  formatX: (value: number) => string;
  label: string;
}): string {
  const { points } = options;
  const ys = points.map((p) => p.y).concat(options.fitted?.map((p) => p.y) ?? []);
  if (options.band) ys.push(options.band.low, options.band.high);
  const xs = points.map((p) => p.x);
  let [minY, maxY] = [Math.min(...ys), Math.max(...ys)];
  if (minY === maxY) [minY, maxY] = [minY - 1, maxY + 1];
  const [minX, maxX] = xs.length > 1 ? [Math.min(...xs), Math.max(...xs)] : [0, Math.max(1, xs[0] ?? 1)];
  const sx = (x: number) => PAD.left + ((x - minX) / (maxX - minX || 1)) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number) => PAD.top + (1 - (y - minY) / (maxY - minY)) * (HEIGHT - PAD.top - PAD.bottom);
  const path = points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(options.label)}">`,
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#d0d7de"/>`,
    `<text x="2" y="${PAD.top + 8}">${escapeHtml(options.formatY(maxY))}</text>`,
    `<text x="2" y="${HEIGHT - PAD.bottom}">${escapeHtml(options.formatY(minY))}</text>`,
    `<text x="${PAD.left}" y="${HEIGHT - 6}">${escapeHtml(options.formatX(minX))}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 6}" text-anchor="end">${escapeHtml(options.formatX(maxX))}</text>`,
  ];
  if (options.band) {
    const top = sy(options.band.high);
    parts.push(
      `<rect class="band" x="${PAD.left}" y="${top.toFixed(1)}" width="${WIDTH - PAD.left - PAD.right}" height="${(sy(options.band.low) - top).toFixed(1)}" fill="#1a7f37" fill-opacity="0.12"/>`,
    );
  }
  parts.push(`<polyline class="series" points="${path}" fill="none" stroke="#0969da" stroke-width="1.5"/>`);
  if (options.fitted) {
    const [a, b] = options.fitted;
    parts.push(
      `<line class="fitted" x1="${sx(a.x).toFixed(1)}" y1="${sy(a.y).toFixed(1)}" x2="${sx(b.x).toFixed(1)}" y2="${sy(b.y).toFixed(1)}" stroke="#cf222e" stroke-dasharray="4 3" stroke-width="1.5"/>`,
    );
  }
  points.forEach((p, i) => {
    const marked = options.marked?.has(i) === true;
    parts.push(
      `<circle class="${marked ? 'point marked' : 'point'}" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${marked ? 4.5 : 2.5}" fill="${marked ? '#cf222e' : '#0969da'}"/>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function seriesChart(s: DriftSeriesReport): string {
  const points = s.points.map((p) => ({ x: p.tS / 60, y: p.value }));
  const first = points[0];
  const last = points.at(-1);
  const fitted =
    s.slopePerMin !== null && s.intercept !== null && first && last
      ? ([
          { x: first.x, y: s.intercept + s.slopePerMin * first.x },
          { x: last.x, y: s.intercept + s.slopePerMin * last.x },
        ] as const)
      : undefined;
  const svg = svgLineChart({
    points,
    ...(fitted && { fitted }),
    formatY: (v) => formatDriftQuantity(v, s.unit),
    formatX: (v) => `${v.toFixed(1)} min`,
    label: `${s.label} per window with its fitted line`,
  });
  const slope = s.slopePerMin === null ? '' : ` · slope ${formatDriftQuantity(s.slopePerMin, s.unit)}/min`;
  return `<figure class="drift-chart" id="drift-${escapeHtml(s.name)}"><h3>${escapeHtml(s.label)}${escapeHtml(slope)}</h3>${svg}</figure>`;
}

/** The drift section of report.html ('' without drift). */
export function driftChartsHtml(summary: Summary): string {
  const drift = summary.drift;
  if (drift === undefined) return '';
  const charts = drift.series.filter((s) => s.status === 'measured' && s.points.length >= 2).map(seriesChart);
  if (charts.length === 0) return '';
  return `<section id="drift-charts"><h2>Drift (dashed: fitted line)</h2><div class="drift-charts">${charts.join('')}</div></section>`;
}
