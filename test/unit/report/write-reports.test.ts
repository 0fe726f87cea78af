import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunInputError } from '../../../src/report/run-data.js';
import { parseFormats, writeReports } from '../../../src/report/write-reports.js';
import { readRealRun, tempDir, writeRun } from '../../support/report-runs.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('report-write');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes every report even without a time series (a run that died early)', async () => {
    const { summary } = await readRealRun();
    const run = await writeRun(join(dir, 'no-series'), { ...summary, partial: true }, undefined);
    const written = await writeReports(run);
    expect(written.files.map((f) => f.slice(run.length + 1))).toEqual([
      'report.html',
      'summary.md',
      'junit.xml',
    ]);
    expect(written.partial).toBe(true);
    const html = await readFile(join(run, 'report.html'), 'utf8');
    expect(html).toContain('No time series');
    expect(html).not.toContain('mmdrill-chart-data');
    expect(await readFile(join(run, 'summary.md'), 'utf8')).toContain('(partial run)');
  });

  it('inlines the chart library and licence, and allows no network', async () => {
    const { summary, lines } = await readRealRun();
    const run = await writeRun(join(dir, 'full'), summary, lines, '{"type":"interval","t":"2026-');
    await writeReports(run, { formats: ['html'] });
    const html = await readFile(join(run, 'report.html'), 'utf8');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('var uPlot=function');
    expect(html).toContain('Copyright (c) 2022 Leon Sorokin');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect(html).toContain('1 unreadable line(s) in timeseries.ndjson were skipped');
  });

  it('rejects a directory whose summary.json is not a run summary', async () => {
    const bad = join(dir, 'bad');
    await writeRun(bad, { version: 1 } as never, undefined);
    await expect(writeReports(bad)).rejects.toThrow(RunInputError);
    await writeFile(join(bad, 'summary.json'), '{ torn');
    await expect(writeReports(bad)).rejects.toThrow(/not valid JSON/);
  });

  it('parses --format lists', () => {
    expect(parseFormats('html, markdown,xml')).toEqual(['html', 'md', 'junit']);
    expect(() => parseFormats('pdf')).toThrow(/unknown report format "pdf"/);
    expect(() => parseFormats(' , ')).toThrow(/name at least one/);
  });
});
