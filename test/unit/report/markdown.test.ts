import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lexer, marked, type Token, type Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdownSummary } from '../../../src/report/markdown.js';
import { loadRun } from '../../../src/report/run-data.js';
import { craftFaultedRun, REAL_RUN, tempDir } from '../../support/report-runs.js';

// summary.md must render as tables in a CI job summary: checked with a real Markdown parser
// (marked, GitHub-flavoured), counting the tables and their rows.

function tables(markdown: string): Tokens.Table[] {
  const out: Tokens.Table[] = [];
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'table') out.push(t as Tokens.Table);
      if ('tokens' in t && Array.isArray(t.tokens)) walk(t.tokens);
    }
  };
  walk(lexer(markdown, { gfm: true }));
  return out;
}

function headings(markdown: string): string[] {
  return lexer(markdown, { gfm: true })
    .filter((t): t is Tokens.Heading => t.type === 'heading')
    .map((t) => t.text);
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('report-md');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('summary.md', () => {
  it('renders the verdict and every table of a real run', async () => {
    const run = await loadRun(REAL_RUN);
    const md = renderMarkdownSummary(run);
    expect(headings(md)[0]).toBe('✅ mmdrill PASS: messaging on native');
    const found = tables(md);
    const byHeader = (first: string) => found.find((t) => t.header[0]?.text === first);
    expect(found.map((t) => t.header[0]?.text)).toEqual(['metric', 'check', 'action', 'posts measured', '']);
    expect(byHeader('metric')?.rows).toHaveLength(run.summary.thresholds.length);
    expect(byHeader('check')?.rows).toHaveLength(run.summary.targets!.checks.length);
    // 13 actions + the "all actions" row.
    expect(byHeader('action')?.rows).toHaveLength(14);
    expect(byHeader('action')?.header.map((h) => h.text)).toEqual([
      'action',
      'count',
      'rate',
      'p50',
      'p95',
      'p99',
      'max',
      'errors',
    ]);
    for (const t of found) for (const row of t.rows) expect(row).toHaveLength(t.header.length);
  });

  it('adds resilience and audit tables for a drill, and marks failures', async () => {
    const run = await loadRun(await craftFaultedRun(join(dir, 'faulted')));
    const md = renderMarkdownSummary(run);
    expect(headings(md)[0]).toBe('❌ mmdrill FAIL: messaging on native');
    const found = tables(md);
    const resilience = found.find((t) => t.header[0]?.text === 'fault')!;
    expect(resilience.rows.map((r) => r[0]?.text)).toEqual(['`app-1-latency`', '`primary-failover`']);
    expect(resilience.rows[1]!.at(-2)!.text).toContain('FAIL');
    const audits = found.find((t) => t.header[0]?.text === 'audit')!;
    expect(audits.rows.length).toBeGreaterThanOrEqual(6);
    expect(md).toContain(
      'Fault windows: `app-1-latency` 0:15–0:30 (15 s), `primary-failover` 0:40–0:48 (8 s)',
    );
  });

  it('marks a partial run and keeps tables intact when data holds pipes and markup', async () => {
    const path = await craftFaultedRun(join(dir, 'partial'), {
      partial: true,
      faults: [{ name: 'a|b <img src=x>', kind: 'latency', target: 'x|y', startS: 5, endS: 9, ok: false }],
    });
    const md = renderMarkdownSummary(await loadRun(path));
    expect(headings(md)[0]).toContain('(partial run)');
    expect(md).toContain('> [!WARNING]');
    // Rendered, the data stays text: no element comes out of it.
    expect(await marked.parse(md, { gfm: true })).not.toMatch(/<img/);
    const resilience = tables(md).find((t) => t.header[0]?.text === 'fault')!;
    expect(resilience.rows).toHaveLength(1);
    expect(resilience.rows[0]).toHaveLength(resilience.header.length);
    expect(resilience.rows[0]![0]!.text).toBe('`a|b <img src=x>`');
  });
});
