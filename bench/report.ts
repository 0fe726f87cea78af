// npm run bench:report — how fast report.html of a 1-hour run (3,600 one-second interval lines,
// 6 fault windows) opens in headless Chromium: from navigation start to every chart drawn, as
// the page itself records it (`window.mmdrillChartsDrawnAt`, performance.now() of the page).
// Goal: under 2 s. Also times writing the reports in Node.
//   node dist/bench/report.js [--seconds 3600] [--faults 6] [--runs 5] [--screenshot FILE.png]
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { packageRoot } from '../src/common/package-root.js';
import { writeReports } from '../src/report/write-reports.js';
import type { FaultVerdict, Summary } from '../src/summary/summary-schema.js';
import { launchChromium } from './chromium.js';
import { type SyntheticFault, spreadFaults, syntheticTimeseries } from './synthetic-run.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3600' },
    faults: { type: 'string', default: '6' },
    runs: { type: 'string', default: '5' },
    screenshot: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const GOAL_MS = 2000;
const say = (line: string) => process.stdout.write(`${line}\n`);

function verdict(f: SyntheticFault, startedAt: number): FaultVerdict {
  const failed = f.errorRate > 0;
  return {
    name: f.name,
    kind: f.kind,
    target: f.target,
    startedAt: new Date(startedAt + f.startS * 1000).toISOString(),
    endedAt: new Date(startedAt + f.endS * 1000).toISOString(),
    interrupted: false,
    recoveryFrom: 'end',
    timeToFirstErrorMs: failed ? 1000 : null,
    requestsInWindow: 24_000,
    errorsInWindow: failed ? 4_800 : 0,
    errorRateInWindow: failed ? 0.2 : 0,
    p99InWindowMs: 600,
    baselineP99Ms: 60,
    recoveryMs: 3000,
    maxRecoveryMs: 30_000,
    errorBudget: { failedRequests: failed ? 4_800 : 0, requests: 26_000, allowed: 5_000 },
    errorBudgetSpent: failed ? 0.96 : 0,
    wsReconnects: 0,
    wsReconnectTimeMs: null,
    ok: true,
    reason: 'recovered in 3 s (limit 30 s) within the error budget',
  };
}

const dir = await mkdtemp(join(tmpdir(), 'mmdrill-bench-report-'));
const browser = await launchChromium();
try {
  const fixture = join(packageRoot(), 'test', 'fixtures', 'runs', 'messaging', 'summary.json');
  const summary = JSON.parse(await readFile(fixture, 'utf8')) as Summary;
  const startedAt = Date.parse(summary.startedAt);
  const faults = spreadFaults(seconds, Number(values.faults), 120);
  summary.durationS = seconds;
  summary.endedAt = new Date(startedAt + seconds * 1000).toISOString();
  summary.faults = faults.map((f) => verdict(f, startedAt));
  await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
  const lines = syntheticTimeseries(seconds, faults, new Date(startedAt));
  await writeFile(join(dir, 'timeseries.ndjson'), `${lines.join('\n')}\n`);

  const t0 = performance.now();
  await writeReports(dir);
  const writeMs = performance.now() - t0;
  const html = join(dir, 'report.html');
  const size = (await stat(html)).size;
  say(`time series: ${seconds} interval lines, ${faults.length} fault windows`);
  say(
    `reports written (html, md, junit) in ${writeMs.toFixed(0)} ms; report.html ${(size / 1024).toFixed(0)} KiB`,
  );

  const drawn: number[] = [];
  const loaded: number[] = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(html).href);
    await page.waitForSelector('body[data-charts-drawn]', { timeout: 30_000 });
    // A string: the project's TypeScript has no DOM library.
    const at = await page.evaluate<{ drawn: number; load: number }>(
      `({ drawn: window.mmdrillChartsDrawnAt ?? NaN, load: performance.getEntriesByType('navigation')[0]?.duration ?? NaN })`,
    );
    if (errors.length > 0) throw new Error(`console errors: ${errors.join('; ')}`);
    drawn.push(at.drawn);
    loaded.push(at.load);
    say(
      `run ${i + 1}: all charts drawn ${at.drawn.toFixed(0)} ms after navigation start (load event ${at.load.toFixed(0)} ms)`,
    );
    if (i === 0 && values.screenshot) await page.screenshot({ path: values.screenshot, fullPage: true });
    await page.close();
  }
  const sorted = [...drawn].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const max = sorted.at(-1)!;
  say(
    `median ${median.toFixed(0)} ms, max ${max.toFixed(0)} ms over ${runs} runs (goal < ${GOAL_MS} ms): ${max < GOAL_MS ? 'OK' : 'OVER GOAL'}`,
  );
  if (max >= GOAL_MS) process.exitCode = 1;
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
