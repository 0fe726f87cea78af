import type { Table } from './table-model.js';

// Pieces shared by the HTML run report and the HTML comparison: escaping, tables, the page shell.
// Every string that comes from a run's data passes through escapeHtml (text and attributes) or
// jsonForScript (embedded data) before it reaches the page.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>`, `&` and the two line separators
 * JavaScript once rejected are written as \u escapes, so no data can close the script element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function renderTable(table: Table, options: { headless?: boolean } = {}): string {
  const head =
    options.headless || table.header.every((h) => h === '')
      ? ''
      : `<thead><tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row
          .map((c) => {
            const classes = [c.status ? `s-${c.status}` : '', c.numeric ? 'num' : '']
              .filter(Boolean)
              .join(' ');
            const text = c.code ? `<code>${escapeHtml(c.text)}</code>` : escapeHtml(c.text);
            return `<td${classes ? ` class="${classes}"` : ''}>${text}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n');
  const note = table.note ? `<p class="note">${escapeHtml(table.note)}</p>` : '';
  const rows =
    table.rows.length > 0 ? `<div class="table-wrap"><table>${head}<tbody>${body}</tbody></table></div>` : '';
  return `<section id="${escapeHtml(table.id)}"><h2>${escapeHtml(table.title)}</h2>${rows}${note}</section>`;
}

/** A section per table, skipping absent ones. */
export function renderTables(tables: readonly (Table | undefined)[]): string {
  return tables
    .filter((t): t is Table => t !== undefined)
    .map((t) => renderTable(t))
    .join('\n');
}

export interface PageParts {
  title: string;
  /** Extra CSS (the chart library's). */
  css?: string;
  body: string;
  /** Inline scripts, in order (already safe to inline). */
  scripts?: string[];
  /** An HTML comment's text (licence notices of inlined code). */
  notice?: string;
}

// Nothing may be fetched at view time: the policy allows only what the file itself carries.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function renderPage(parts: PageParts): string {
  const notice = parts.notice ? `<!--\n${parts.notice.replace(/--/g, '- -')}\n-->\n` : '';
  const scripts = (parts.scripts ?? []).map((s) => `<script>${s}</script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${notice}<style>${BASE_CSS}${parts.css ?? ''}</style>
</head>
<body>
${parts.body}
${scripts}
</body>
</html>
`;
}

const BASE_CSS = `
:root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #656d76; --line: #d0d7de; --bg-soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1f2328; background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: break-word; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.s-ok { color: var(--ok); font-weight: 600; } .s-bad { color: var(--bad); font-weight: 600; }
.s-warn { color: var(--warn); } .s-muted { color: var(--muted); }
.note { color: var(--muted); margin: 6px 0 0; font-size: 13px; }
.banner { border-radius: 8px; padding: 14px 18px; margin: 12px 0; color: #fff; }
.banner.s-ok { background: var(--ok); } .banner.s-bad { background: var(--bad); } .banner.s-warn { background: var(--warn); }
.banner .label { font-size: 24px; font-weight: 700; margin-right: 12px; }
.banner .reason { font-size: 14px; }
.partial { border: 2px solid var(--warn); background: #fff8c5; border-radius: 8px; padding: 10px 14px; margin: 12px 0; font-weight: 600; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 0; padding: 0; list-style: none; }
.figures li { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
.figures b { display: block; font-size: 18px; }
`;
