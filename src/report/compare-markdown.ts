import {
  type Comparison,
  type ComparisonRow,
  type Delta,
  NOISE_ERROR_PP,
  NOISE_MS,
  NOISE_PCT,
  type RowKind,
} from './compare.js';
import { decimal, integer, ms, NONE, percent, signed } from './format.js';
import { codeSpan, escapeMarkdown } from './markdown.js';

// The comparison as Markdown (printed on stdout and written as compare.md): the regressions first,
// then one table per row kind with base → candidate and the change side by side.

/** `+2.2 ms (+18 %)` or `+0.05 pp`: the change in a delta, signed. */
export function deltaText(d: Delta, unit: 'ms' | 'share'): string {
  if (d.delta === null || d.deltaPct === null) return NONE;
  if (d.delta === 0) return '±0';
  const abs = unit === 'ms' ? ms(Math.abs(d.delta)) : `${decimal(Math.abs(d.delta * 100), 3)} pp`;
  const pct = Number.isFinite(d.deltaPct)
    ? ` (${signed(`${decimal(Math.abs(d.deltaPct), 1)} %`, d.deltaPct)})`
    : ' (from 0)';
  return `${signed(abs, d.delta)}${pct}`;
}

/** `12.1 ms → 14.3 ms`. */
export function sideBySide(d: Delta, unit: 'ms' | 'share'): string {
  const f = unit === 'ms' ? ms : percent;
  return `${f(d.base)} → ${f(d.candidate)}`;
}

export const CHANGE_WORDS: Record<Delta['change'], string> = {
  regression: 'regression',
  improvement: 'improvement',
  'within band': 'within band',
  noise: 'noise',
  'n/a': NONE,
};

export function rowVerdict(row: ComparisonRow): string {
  if (row.onlyIn) return `only in ${row.onlyIn}`;
  if (row.regression) return 'REGRESSION';
  if (row.fewSamples) return 'too few samples';
  return row.improvement ? 'improvement' : 'ok';
}

export function rulesText(c: Comparison): string {
  return (
    `Latency changes under ${NOISE_MS} ms or under ${NOISE_PCT} % are noise and ignored, as are error-rate changes under ` +
    `${NOISE_ERROR_PP} percentage points or ${NOISE_PCT} %; beyond ±${decimal(c.bandPct, 2)} % a change is flagged. ` +
    `Rows with fewer than ${integer(c.minSamples)} samples in either run are shown but not flagged.`
  );
}

export const KIND_TITLES: Record<RowKind, string> = {
  overall: 'Overall',
  action: 'User actions (mm_action_duration)',
  endpoint: 'HTTP endpoints (successful responses; errors over every status)',
};

function mark(d: Delta, text: string, judged: boolean): string {
  if (!judged) return text;
  if (d.change === 'regression') return `❌ **${text}**`;
  if (d.change === 'improvement') return `✅ ${text}`;
  return text;
}

function tableFor(rows: readonly ComparisonRow[], kind: RowKind): string[] {
  const out = [`### ${escapeMarkdown(KIND_TITLES[kind])}`, ''];
  out.push('| name | samples | avg | Δ avg | p99 | Δ p99 | error rate | Δ error rate | result |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const verdict = rowVerdict(r);
    const judged = !r.fewSamples && r.onlyIn === undefined;
    out.push(
      `| ${codeSpan(r.name)} | ${integer(r.samples.base)} → ${integer(r.samples.candidate)} | ${sideBySide(r.avg, 'ms')} | ${mark(
        r.avg,
        deltaText(r.avg, 'ms'),
        judged,
      )} | ${sideBySide(r.p99, 'ms')} | ${mark(r.p99, deltaText(r.p99, 'ms'), judged)} | ${sideBySide(r.errorRate, 'share')} | ${mark(
        r.errorRate,
        deltaText(r.errorRate, 'share'),
        judged,
      )} | ${r.regression ? `❌ **${verdict}**` : r.improvement ? `✅ ${verdict}` : verdict} |`,
    );
  }
  out.push('');
  return out;
}

export function renderCompareMarkdown(c: Comparison): string {
  const n = c.regressions.length;
  const lines = [
    n > 0
      ? `## ❌ mmdrill compare: ${n} regression${n === 1 ? '' : 's'} beyond ${decimal(c.bandPct, 2)} %`
      : `## ✅ mmdrill compare: no regression beyond ${decimal(c.bandPct, 2)} %`,
    '',
    `- base: ${codeSpan(c.base.id)} — ${escapeMarkdown(c.base.title)}, ${c.base.startedAt}, verdict ${c.base.verdict}${c.base.partial ? ' (partial run)' : ''}`,
    `- candidate: ${codeSpan(c.candidate.id)} — ${escapeMarkdown(c.candidate.title)}, ${c.candidate.startedAt}, verdict ${c.candidate.verdict}${c.candidate.partial ? ' (partial run)' : ''}`,
    '',
    `_${escapeMarkdown(rulesText(c))}_`,
    '',
  ];
  if (n > 0) {
    lines.push('### Regressions', '');
    for (const r of c.regressions) {
      const what = (
        [
          ['avg', r.avg, 'ms'],
          ['p99', r.p99, 'ms'],
          ['error rate', r.errorRate, 'share'],
        ] as const
      )
        .filter(([, d]) => d.change === 'regression')
        .map(([label, d, unit]) => `${label} ${sideBySide(d, unit)} (${deltaText(d, unit)})`);
      lines.push(`- ${r.kind} ${codeSpan(r.name)}: ${what.join('; ')}`);
    }
    lines.push('');
  }
  for (const kind of ['overall', 'action', 'endpoint'] as const) {
    const rows = c.rows.filter((r) => r.kind === kind);
    if (rows.length > 0) lines.push(...tableFor(rows, kind));
  }
  if (c.rows.length === 0) lines.push('_Neither run has latency series to compare._', '');
  return lines.join('\n');
}
