import { clock, duration } from './format.js';
import { preparationNote } from './preparation-table.js';
import { reportTables } from './report-tables.js';
import type { RunData } from './run-data.js';
import { headline, keyFigures, runTitle } from './run-info.js';
import type { Cell, Table } from './table-model.js';

// summary.md: the verdict and the tables as GitHub-flavoured Markdown, written to read well as a
// CI job summary (`cat summary.md >> "$GITHUB_STEP_SUMMARY"`): the verdict first, failures marked,
// no HTML that CI renderers strip.

const MARK = { ok: '✅', bad: '❌', warn: '⚠️' } as const;

/** Plain text made safe for a table cell: no line breaks, pipes and Markdown syntax escaped. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|#~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** A code span: backticks inside become ', pipes are escaped (GFM splits cells on them even there). */
export function codeSpan(text: string): string {
  return `\`${text.replace(/\r?\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function renderCell(c: Cell): string {
  const text = c.code ? codeSpan(c.text) : escapeMarkdown(c.text);
  if (text === '') return ' ';
  if (c.status === 'ok' || c.status === 'bad' || c.status === 'warn') {
    return c.status === 'bad' ? `${MARK.bad} **${text}**` : `${MARK[c.status]} ${text}`;
  }
  return text;
}

export function markdownTable(table: Table, level = 3): string {
  const out = [`${'#'.repeat(level)} ${escapeMarkdown(table.title)}`, ''];
  if (table.rows.length > 0) {
    const header = table.header.every((h) => h === '') ? table.header.map(() => ' ') : table.header;
    const numeric = table.header.map((_, i) => table.rows.some((r) => r[i]?.numeric));
    out.push(`| ${header.map((h) => escapeMarkdown(h) || ' ').join(' | ')} |`);
    out.push(`| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
    for (const row of table.rows) out.push(`| ${row.map(renderCell).join(' | ')} |`);
    out.push('');
  }
  if (table.note) out.push(`_${escapeMarkdown(table.note)}_`, '');
  return out.join('\n');
}

export function renderMarkdownSummary(run: RunData): string {
  const { summary, timeline } = run;
  const head = headline(summary);
  const mark = head.status === 'ok' ? MARK.ok : head.status === 'bad' ? MARK.bad : MARK.warn;
  const lines = [
    `## ${mark} mmdrill ${head.label}: ${escapeMarkdown(runTitle(summary))}${summary.partial ? ' (partial run)' : ''}`,
    '',
    `**${head.label}** — ${escapeMarkdown(head.reason)}`,
    '',
  ];
  if (head.partialNote) lines.push('> [!WARNING]', `> ${escapeMarkdown(head.partialNote)}`, '');
  const figures = keyFigures(summary);
  if (figures.length > 0) {
    lines.push(
      figures.map((f) => `${escapeMarkdown(f.label)}: **${escapeMarkdown(f.value)}**`).join(' · '),
      '',
    );
  }
  const before = preparationNote(summary);
  if (before !== undefined) lines.push(escapeMarkdown(before), '');
  if (timeline.faults.length > 0) {
    lines.push(
      `Fault windows: ${timeline.faults
        .map(
          (f) =>
            `${codeSpan(f.name)} ${clock(f.startS)}–${f.open ? 'end' : clock(f.endS)} (${duration(f.endS - f.startS)})`,
        )
        .join(', ')}`,
      '',
    );
  }
  const tables = reportTables(summary, timeline.faults, run.id, { endpoints: false });
  for (const table of tables) if (table !== undefined) lines.push(markdownTable(table));
  lines.push(`_Charts with fault windows: \`report.html\` in ${codeSpan(run.dir)}._`, '');
  return lines.join('\n');
}
