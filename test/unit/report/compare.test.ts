import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lexer, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { compareSummaries, errorDelta, latencyDelta, parseBand } from '../../../src/report/compare.js';
import { renderCompareMarkdown } from '../../../src/report/compare-markdown.js';
import type { Summary } from '../../../src/summary/summary-schema.js';
import { REAL_RUN } from '../../support/report-runs.js';

const REGRESSED = join(REAL_RUN, '..', 'messaging-regressed');

async function summaryAt(dir: string): Promise<Summary> {
  return JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary;
}

describe('compare: two recorded runs, one injected regression', () => {
  it('flags exactly the action whose latency was injected (switch_channel)', async () => {
    const c = compareSummaries(
      { id: 'base', summary: await summaryAt(REAL_RUN) },
      { id: 'candidate', summary: await summaryAt(REGRESSED) },
    );
    expect(c.regressions.map((r) => `${r.kind}:${r.name}`)).toEqual(['action:switch_channel']);
    const row = c.regressions[0]!;
    expect(row.avg.change).toBe('regression');
    expect(row.p99.change).toBe('regression');
    expect(row.avg.deltaPct).toBeCloseTo(40, 0);
    expect(row.errorRate.change).toBe('noise');
    // Under 2 ms: ignored as noise, not "within band".
    const statuses = c.rows.find((r) => r.kind === 'action' && r.name === 'get_statuses')!;
    expect(statuses.avg.change).toBe('noise');
    expect(statuses.p99.change).toBe('noise');
    // 5 samples: the change shows but is not flagged.
    const posts = c.rows.find((r) => r.kind === 'action' && r.name === 'create_post')!;
    expect(posts.fewSamples).toBe(true);
    expect(posts.avg.change).toBe('regression');
    expect(posts.regression).toBe(false);
    // Every other row is unchanged.
    for (const r of c.rows.filter((r) => !['switch_channel', 'create_post', 'get_statuses'].includes(r.name)))
      expect(
        [r.avg.change, r.p99.change, r.errorRate.change].filter((x) => x !== 'noise' && x !== 'n/a'),
        r.name,
      ).toEqual([]);
  });

  it('flags the small-sample action too when --min-samples allows it', async () => {
    const c = compareSummaries(
      { id: 'base', summary: await summaryAt(REAL_RUN) },
      { id: 'candidate', summary: await summaryAt(REGRESSED) },
      { minSamples: 1 },
    );
    expect(c.regressions.map((r) => r.name).sort()).toEqual(['create_post', 'switch_channel']);
  });

  it('a wider band lets a 40 % slowdown through; the reverse comparison calls it an improvement', async () => {
    const base = { id: 'base', summary: await summaryAt(REAL_RUN) };
    const candidate = { id: 'candidate', summary: await summaryAt(REGRESSED) };
    expect(compareSummaries(base, candidate, { bandPct: 50 }).regressions).toEqual([]);
    const reverse = compareSummaries(candidate, base);
    expect(reverse.regressions).toEqual([]);
    expect(reverse.rows.find((r) => r.name === 'switch_channel')?.improvement).toBe(true);
  });

  it('prints the regression first, then one table per row kind', async () => {
    const c = compareSummaries(
      { id: 'base', summary: await summaryAt(REAL_RUN) },
      { id: 'candidate', summary: await summaryAt(REGRESSED) },
    );
    const md = renderCompareMarkdown(c);
    expect(md).toMatch(/^## ❌ mmdrill compare: 1 regression beyond 10 %/);
    expect(md).toContain('- action `switch_channel`: avg 38.7 ms → 54.2 ms (+15.5 ms (+40 %))');
    // Three tables (overall, actions, endpoints), as a Markdown parser reads them.
    const tables = lexer(md, { gfm: true }).filter((t): t is Tokens.Table => t.type === 'table');
    expect(tables.map((t) => t.rows.length)).toEqual([
      2,
      13,
      c.rows.filter((r) => r.kind === 'endpoint').length,
    ]);
    for (const t of tables) for (const row of t.rows) expect(row).toHaveLength(9);
  });
});

describe('compare: noise rules', () => {
  it('ignores latency changes under 2 ms or under 1 %', () => {
    expect(latencyDelta(1, 2.9, 10).change).toBe('noise'); // +190 % but 1.9 ms
    expect(latencyDelta(1000, 1009, 10).change).toBe('noise'); // 9 ms but 0.9 %
    expect(latencyDelta(100, 105, 10).change).toBe('within band');
    expect(latencyDelta(100, 111, 10).change).toBe('regression');
    expect(latencyDelta(100, 89, 10).change).toBe('improvement');
    expect(latencyDelta(null, 5, 10).change).toBe('n/a');
  });

  it('judges error rates from zero and ignores changes under 0.01 points', () => {
    expect(errorDelta(0, 0.00005, 10).change).toBe('noise');
    expect(errorDelta(0, 0.01, 10).change).toBe('regression');
    expect(errorDelta(0.02, 0.0201, 10).change).toBe('noise');
    expect(errorDelta(0.02, 0, 10).change).toBe('improvement');
  });

  it('parses bands', () => {
    expect(parseBand('10%')).toBe(10);
    expect(parseBand('7.5 %')).toBe(7.5);
    expect(parseBand('5')).toBe(5);
    expect(() => parseBand('ten')).toThrow(/--band/);
    expect(() => parseBand('0%')).toThrow(/--band/);
  });
});
