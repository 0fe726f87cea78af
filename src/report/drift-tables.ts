import type { Summary } from '../summary/summary-schema.js';
import { formatDriftQuantity, formatDriftValue } from '../verdict/drift.js';
import { cell, type Table } from './table-model.js';

// The drift tables every report format shows: the drift thresholds (verdict-bearing) and one row
// per series with its slope, first and last window and change. The HTML adds the trend charts.

export function driftThresholdTable(summary: Summary): Table | undefined {
  const drift = summary.drift;
  if (drift === undefined) return undefined;
  return {
    id: 'drift-thresholds',
    title: 'Drift thresholds',
    header: ['metric', 'threshold', 'value', 'result'],
    rows: drift.thresholds.map((t) => [
      cell.code(t.metric),
      cell.code(t.expression),
      cell.num(formatDriftValue(t.metric, t.value), t.value === null ? 'muted' : undefined),
      t.value === null ? cell.text('not measured', 'muted') : cell.verdict(t.ok),
    ]),
    note: drift.reason,
  };
}

export function driftSeriesTable(summary: Summary): Table | undefined {
  const drift = summary.drift;
  if (drift === undefined) return undefined;
  const q = (value: number | null, unit: Parameters<typeof formatDriftQuantity>[1]) =>
    value === null ? '–' : formatDriftQuantity(value, unit);
  return {
    id: 'drift',
    title: 'Drift over the run',
    header: ['series', 'slope per minute', 'first window', 'last window', 'change', 'points'],
    rows: drift.series.map((s) =>
      s.status === 'unknown'
        ? [
            cell.code(s.name),
            cell.text(`unknown: ${s.note ?? 'not measured'}`, 'muted'),
            cell.text(''),
            cell.text(''),
            cell.text(''),
            cell.num('0'),
          ]
        : [
            cell.code(s.name),
            cell.num(q(s.slopePerMin, s.unit)),
            cell.num(q(s.first, s.unit)),
            cell.num(q(s.last, s.unit)),
            cell.num(s.change === null ? '–' : `${(s.change * 100).toFixed(1)} %`),
            cell.num(String(s.points.length)),
          ],
    ),
    note: `One point per ${drift.windowS} s window after a ${drift.warmupS} s warm-up; slope = least-squares line through the points.`,
  };
}
