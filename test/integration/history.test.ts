import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/chromium.js';
import type { Summary } from '../../src/summary/summary-schema.js';
import { runCli } from '../support/cli.js';
import { readRealRun, tempDir } from '../support/report-runs.js';

// `mmdrill history` over six nights made from a recorded run (test/fixtures/runs/messaging): the
// nights vary a little, night-4 is three times slower and failed, night-6 failed a threshold.
// The page draws in headless Chromium without a console error and marks night-4 as the run that
// broke the band; --baseline picks night-5, the last passing night.

const P99 = [350, 362, 341, 1100, 356, 349];
const VERDICT: Summary['verdict'][] = ['pass', 'pass', 'pass', 'fail', 'pass', 'fail'];

let browser: Browser;
let dir: string;
let nightly: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await tempDir('history');
  nightly = join(dir, 'nightly');
  const { summary } = await readRealRun();
  for (const [i, p99] of P99.entries()) {
    const night = structuredClone(summary);
    night.startedAt = new Date(Date.parse(summary.startedAt) + i * 86_400_000).toISOString();
    night.verdict = VERDICT[i]!;
    const duration = night.metrics.http_req_duration;
    if (duration?.type === 'trend') duration.p99 = p99;
    const runDir = join(nightly, `night-${i + 1}`);
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'summary.json'), JSON.stringify(night));
  }
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('mmdrill history', () => {
  it('writes a page that draws without console errors and marks the night that broke the band', async () => {
    const out = join(dir, 'out');
    const r = await runCli(['history', nightly, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/history of 6 run\(s\); 1 broke the band/);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(join(out, 'history.html')).href);
    const drawn = await page.evaluate(`({
      points: document.querySelectorAll('#history-httpP99 circle').length,
      marked: document.querySelectorAll('#history-httpP99 circle.marked').length,
      band: document.querySelectorAll('#history-httpP99 rect.band').length,
      width: document.querySelector('#history-httpP99 svg').getBoundingClientRect().width,
      broken: [...document.querySelectorAll('#history-runs tr')].filter((tr) => tr.textContent.includes('BROKE THE BAND')).map((tr) => tr.querySelector('td').textContent),
    })`);
    expect(drawn).toEqual({ points: 6, marked: 1, band: 1, width: 360, broken: ['night-4'] });
    expect(problems).toEqual([]);
    await page.close();

    const markdown = await readFile(join(out, 'history.md'), 'utf8');
    expect(markdown).toMatch(/1 broke the band: night-4/);
    expect(markdown).toMatch(/Baseline for mmdrill compare \(last passing run\): night-5/);
  });

  it('--baseline prints the last passing run, which mmdrill compare accepts', async () => {
    const r = await runCli(['history', nightly, '--baseline']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(nightly, 'night-5'));
    const compare = await runCli([
      'compare',
      r.stdout.trim(),
      join(nightly, 'night-6'),
      '--out',
      join(dir, 'cmp'),
    ]);
    expect([0, 99]).toContain(compare.code);
  });

  it('refuses bad input with exit 2 and no stack trace', async () => {
    const missing = await runCli(['history', join(dir, 'no-such-dir')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-dir: no such file or directory/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const failing = join(dir, 'failing');
    await mkdir(join(failing, 'run'), { recursive: true });
    await writeFile(
      join(failing, 'run', 'summary.json'),
      await readFile(join(nightly, 'night-6', 'summary.json')),
    );
    const none = await runCli(['history', failing, '--baseline']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no passing run among the 1 run\(s\)/);
    const empty = join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    expect((await runCli(['history', empty])).code).toBe(2);
  });
});
