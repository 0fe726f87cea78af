import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { craftFaultedRun, REAL_RUN, tempDir } from '../support/report-runs.js';

// `mmdrill report` and `mmdrill compare` as a user runs them (the built CLI): files written,
// exit codes 0 / 99 / 2, clear messages for bad input.

const REGRESSED = join(REAL_RUN, '..', 'messaging-regressed');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('report-cli');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function copyRun(name: string, source = REAL_RUN): Promise<string> {
  const target = join(dir, name);
  await cp(source, target, { recursive: true });
  return target;
}

describe('mmdrill report', () => {
  it('writes report.html, summary.md and junit.xml into the run directory', async () => {
    const run = await copyRun('full');
    const r = await runCli(['report', run]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(
      ['report.html', 'summary.md', 'junit.xml'].map((f) => join(run, f)),
    );
    expect(await readFile(join(run, 'summary.md'), 'utf8')).toMatch(
      /^## ✅ mmdrill PASS: messaging on native/,
    );
  });

  it('writes only the formats asked for', async () => {
    const run = await copyRun('md-only');
    const r = await runCli(['report', run, '--format', 'md,junit']);
    expect(r.code, r.stderr).toBe(0);
    expect((await readdir(run)).sort()).toEqual([
      'junit.xml',
      'summary.json',
      'summary.md',
      'timeseries.ndjson',
    ]);
  });

  it('says so for a partial run, and still writes every report', async () => {
    const run = await craftFaultedRun(join(dir, 'partial'), { partial: true });
    const r = await runCli(['report', run]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('interrupted');
    expect(await readFile(join(run, 'report.html'), 'utf8')).toContain('Partial run');
  });

  it('exits 2 with a clear message for bad input', async () => {
    const missing = await runCli(['report', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such run directory');
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const noSummary = await runCli(['report', empty]);
    expect(noSummary.code).toBe(2);
    expect(noSummary.stderr).toContain('no summary.json');
    const format = await runCli(['report', REAL_RUN, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('unknown report format "pdf"');
  });
});

describe('mmdrill compare', () => {
  it('exits 99 and prints the regression when the candidate regressed', async () => {
    const out = join(dir, 'compare-out');
    const r = await runCli(['compare', REAL_RUN, REGRESSED, '--out', out]);
    expect(r.code, r.stderr).toBe(99);
    expect(r.stdout).toMatch(/^## ❌ mmdrill compare: 1 regression beyond 10 %/);
    expect(r.stdout).toContain('- action `switch_channel`');
    expect((await readdir(out)).sort()).toEqual(['compare.html', 'compare.md']);
    expect(await readFile(join(out, 'compare.md'), 'utf8')).toBe(r.stdout);
    const html = await readFile(join(out, 'compare.html'), 'utf8');
    expect(html.match(/data-regression="true"/g)).toHaveLength(1);
  });

  it('exits 0 when nothing regressed beyond the band (default --out: the candidate run)', async () => {
    const candidate = await copyRun('candidate', REGRESSED);
    const r = await runCli(['compare', REAL_RUN, candidate, '--band', '50%']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^## ✅ mmdrill compare: no regression beyond 50 %/);
    expect(await readdir(candidate)).toContain('compare.html');
  });

  it('exits 2 for bad input', async () => {
    const missing = await runCli(['compare', join(dir, 'nope'), REAL_RUN]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such run directory');
    const band = await runCli(['compare', REAL_RUN, REGRESSED, '--band', 'lots']);
    expect(band.code).toBe(2);
    expect(band.stderr).toContain('--band');
    const same = await runCli(['compare', REAL_RUN, REAL_RUN]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('same run');
  });
});
