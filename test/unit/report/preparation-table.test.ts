import { lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html.js';
import { renderMarkdownSummary } from '../../../src/report/markdown.js';
import { PREPARATION_TABLE_TITLE } from '../../../src/report/preparation-table.js';
import { loadRun } from '../../../src/report/run-data.js';
import { keyFigures } from '../../../src/report/run-info.js';
import { REAL_RUN } from '../../support/report-runs.js';

// The headline p99 covers the preparation (logins and first loads before the load) while the
// charts start with the load: both reports must show the preparation and the whole run side by
// side, so that every headline figure is found in a table of the same report.

async function runWithPreparation() {
  const run = await loadRun(REAL_RUN);
  run.summary.preparation = {
    durationS: 4.2,
    requests: 812,
    failedRequests: 0,
    latency: { p50: 212.4, p95: 480.1, p99: 611.9, max: 702.3 },
  };
  return run;
}

describe('the preparation phase in reports', () => {
  it('summary.md: a table with the preparation and the whole run, holding the headline p99', async () => {
    const run = await runWithPreparation();
    const markdown = renderMarkdownSummary(run);
    const headlineP99 = keyFigures(run.summary).find((f) => f.label === 'p99 latency')!.value;
    expect(markdown).toContain(
      'The charts start with the load. Before it, 4.2 s of preparation (812 requests, p99 611.9 ms',
    );
    const tables = lexer(markdown, { gfm: true }).filter((t): t is Tokens.Table => t.type === 'table');
    const table = tables.find((t) => t.header[0]!.text === 'phase')!;
    expect(table).toBeDefined();
    const rows = table.rows.map((r) => r.map((c) => c.text));
    expect(rows[0]![0]).toMatch(/^preparation/);
    expect(rows[0]![6]).toBe('611.9 ms');
    expect(rows[1]![0]).toMatch(/^whole run \(the headline figures\)/);
    expect(rows[1]![6]).toBe(headlineP99);
  });

  it('report.html: the note above the charts and the same table', async () => {
    const html = renderHtmlReport(await runWithPreparation());
    expect(html).toContain('id="preparation-note"');
    expect(html).toContain(PREPARATION_TABLE_TITLE);
    expect(html).toContain('611.9 ms');
  });

  it('a run without a recorded preparation has neither', async () => {
    const run = await loadRun(REAL_RUN);
    expect(run.summary.preparation).toBeUndefined();
    expect(renderMarkdownSummary(run)).not.toContain(PREPARATION_TABLE_TITLE);
    expect(renderHtmlReport(run)).not.toContain('preparation-note');
  });
});
