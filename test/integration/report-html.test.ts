import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/chromium.js';
import { packageRoot } from '../../src/common/package-root.js';
import { writeReports } from '../../src/report/write-reports.js';
import { CRAFTED_FAULTS, craftFaultedRun, REAL_DRILL, REAL_RUN, tempDir } from '../support/report-runs.js';

// report.html opened in headless Chromium (Debian's package, driven by playwright-core): no
// console errors, no network, every chart drawn, every fault window shaded and labelled on
// every chart. Screenshots land in reports/test-artifacts/ (git-ignored) for a person to look at.

const ARTIFACTS = join(packageRoot(), 'reports', 'test-artifacts');
const CHART_IDS = ['req-rate', 'latency', 'errors', 'websockets', 'delivery'];
const HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await tempDir('report-html');
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

async function open(runDir: string): Promise<Opened> {
  await writeReports(runDir, { formats: ['html'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
  await page.waitForSelector('body[data-charts-drawn]', { timeout: 10_000 });
  return { page, problems, requests };
}

// Page scripts are strings: this project's TypeScript has no DOM library (it is Node code).

interface ChartInk {
  id: string;
  ink: number;
  colour: number;
}

/** Pixels drawn on each chart's canvas: all of them, and those in colour (series, not axes). */
const CANVAS_INK = `[...document.querySelectorAll('.chart-plot')].map((plot) => {
  const canvas = plot.querySelector('canvas');
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0, colour = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] === 0) continue;
    ink++;
    if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) colour++;
  }
  return { id: plot.dataset.chart, ink, colour };
})`;

interface FaultBox {
  label: string | null;
  width: number;
  left: number;
}

/** The fault windows laid over each chart. */
const FAULT_BOXES = `[...document.querySelectorAll('.chart-plot')].map((plot) =>
  [...plot.querySelectorAll('.fault-window')].map((w) => ({
    label: w.querySelector('.fault-label')?.textContent ?? null,
    width: w.getBoundingClientRect().width,
    left: w.offsetLeft,
  })))`;

describe('report.html in headless Chromium', () => {
  it('draws every chart of a real run, offline, without console errors', async () => {
    const { page, problems, requests } = await open(await copyOf(REAL_RUN, 'real'));
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.getAttribute('body', 'data-charts-drawn')).toBe(String(CHART_IDS.length));
    const ink = await page.evaluate<ChartInk[]>(CANVAS_INK);
    expect(ink.map((c) => c.id)).toEqual(CHART_IDS);
    for (const c of ink) {
      expect(c.ink, c.id).toBeGreaterThan(1000);
      expect(c.colour, c.id).toBeGreaterThan(20);
    }
    expect(await page.textContent('#verdict')).toContain('PASS');
    await page.screenshot({ path: join(ARTIFACTS, 'report-real-run.png'), fullPage: true });
    await page.close();
  });

  it('draws the fault window of a real drill (app node killed) on every chart', async () => {
    const { page, problems, requests } = await open(await copyOf(REAL_DRILL, 'drill'));
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    const windows = await page.evaluate<FaultBox[][]>(FAULT_BOXES);
    expect(windows.map((chart) => chart.map((w) => w.label))).toEqual(CHART_IDS.map(() => ['kill-app-2']));
    for (const chart of windows) expect(chart[0]!.width).toBeGreaterThan(100); // 10 s of a 60 s axis
    for (const c of await page.evaluate<ChartInk[]>(CANVAS_INK)) expect(c.colour, c.id).toBeGreaterThan(20);
    expect(await page.locator('#resilience tbody tr').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'report-drill-app-node-kill.png'), fullPage: true });
    await page.close();
  });

  it('shades and labels every fault window on every chart, and shows the resilience table', async () => {
    const { page, problems } = await open(await craftFaultedRun(join(dir, 'faulted')));
    expect(problems).toEqual([]);
    const windows = await page.evaluate<FaultBox[][]>(FAULT_BOXES);
    expect(windows).toHaveLength(CHART_IDS.length);
    for (const chart of windows) {
      expect(chart.map((w) => w.label)).toEqual(CRAFTED_FAULTS.map((f) => f.name));
      // 15 s and 8 s of a 71 s axis on a plot some 1,100 px wide.
      expect(chart[0]!.width).toBeGreaterThan(150);
      expect(chart[1]!.width).toBeGreaterThan(80);
      expect(chart[1]!.left).toBeGreaterThan(chart[0]!.left);
    }
    expect(await page.locator('.fault-list li').allTextContents()).toEqual([
      'app-1-latency (latency → lb->app-1) 0:15–0:30, 15 s',
      'primary-failover (db-failover → postgres-primary) 0:40–0:48, 8 s',
    ]);
    expect(await page.locator('#resilience tbody tr').count()).toBe(2);
    expect(await page.locator('#audits').textContent()).toContain('acknowledged, then lost');
    expect(await page.textContent('#verdict')).toContain('FAIL');
    await page.screenshot({ path: join(ARTIFACTS, 'report-faults.png'), fullPage: true });
    await page.close();
  });

  it('marks a partial run and keeps hostile data as text', async () => {
    const path = await craftFaultedRun(join(dir, 'hostile'), {
      partial: true,
      faults: [{ name: HOSTILE, kind: 'latency', target: '<b>x</b>', startS: 10, endS: 20, ok: false }],
    });
    const { page, problems } = await open(path);
    expect(problems).toEqual([]);
    expect(await page.evaluate<unknown>('window.pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('.fault-label').first().textContent()).toBe(HOSTILE);
    expect(await page.textContent('#partial')).toContain('Partial run');
    expect(await page.title()).toContain('(partial)');
    const html = await readFile(join(path, 'report.html'), 'utf8');
    expect(html).not.toContain('<img src=x');
    await page.close();
  });
});

async function copyOf(source: string, name: string): Promise<string> {
  const target = join(dir, name);
  await cp(source, target, { recursive: true });
  return target;
}
