import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Summary } from '../summary/summary-schema.js';
import { RunInputError, readSummary } from './run-data.js';

// Night-over-night history: the key figures of many runs (run directories, or folders of them,
// or folders of summary.json files), the band of normal variation of each figure (median ± 3
// scaled MADs, at least ± 5 % of the median, so a perfectly quiet history still has a band), and
// the runs that broke it. The reference run for `mmdrill compare` is the last passing one.

export interface HistoryRun {
  /** The run directory (or the summary file's folder). */
  dir: string;
  summaryPath: string;
  id: string;
  summary: Summary;
}

export interface KeyFigure {
  key: string;
  label: string;
  unit: 'ms' | '%' | 'req/s';
  /** Higher is worse (latency, errors); for throughput a drop is what matters. */
  worse: 'higher' | 'lower';
  read: (s: Summary) => number | null;
}

const trendP = (name: string, field: 'p99' | 'avg') => (s: Summary) => {
  const m = s.metrics[name];
  return m?.type === 'trend' && m.count > 0 ? m[field] : null;
};

export const KEY_FIGURES: readonly KeyFigure[] = [
  {
    key: 'httpP99',
    label: 'HTTP p99',
    unit: 'ms',
    worse: 'higher',
    read: trendP('http_req_duration', 'p99'),
  },
  {
    key: 'httpAvg',
    label: 'HTTP average',
    unit: 'ms',
    worse: 'higher',
    read: trendP('http_req_duration', 'avg'),
  },
  {
    key: 'errorRate',
    label: 'Failed requests',
    unit: '%',
    worse: 'higher',
    read: (s) => {
      const m = s.metrics.http_req_failed;
      return m?.type === 'rate' && m.count > 0 ? m.rate * 100 : null;
    },
  },
  {
    key: 'deliveryP99',
    label: 'Delivery p99',
    unit: 'ms',
    worse: 'higher',
    read: (s) => s.delivery.latency.p99,
  },
  {
    key: 'reqRate',
    label: 'Request rate',
    unit: 'req/s',
    worse: 'lower',
    read: (s) => {
      const m = s.metrics.http_reqs;
      return m?.type === 'counter' ? m.rate : null;
    },
  },
];

export interface Band {
  median: number;
  low: number;
  high: number;
}

export interface HistoryFigure {
  figure: KeyFigure;
  values: (number | null)[];
  band: Band | null;
  /** Indexes of runs outside the band on the worse side. */
  broken: number[];
}

export interface History {
  runs: HistoryRun[];
  figures: HistoryFigure[];
  /** Indexes of runs that broke any band. */
  broken: number[];
  /** Index of the last passing run, or null. */
  baseline: number | null;
}

/** The band of normal variation: median ± 3 scaled MADs (at least ± 5 % of the median). */
export function bandOf(values: readonly number[]): Band | null {
  if (values.length < 3) return null;
  const median = medianOf(values);
  const mad = medianOf(values.map((v) => Math.abs(v - median))) * 1.4826;
  const half = Math.max(3 * mad, Math.abs(median) * 0.05);
  return { median, low: median - half, high: median + half };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The history of runs (sorted by start time). */
export function buildHistory(runs: readonly HistoryRun[]): History {
  const sorted = [...runs].sort((a, b) => Date.parse(a.summary.startedAt) - Date.parse(b.summary.startedAt));
  const broken = new Set<number>();
  const figures = KEY_FIGURES.map((figure) => {
    const values = sorted.map((r) => figure.read(r.summary));
    const band = bandOf(values.filter((v): v is number => v !== null));
    const out: number[] = [];
    if (band !== null)
      values.forEach((v, i) => {
        if (v === null) return;
        if (figure.worse === 'higher' ? v > band.high : v < band.low) {
          out.push(i);
          broken.add(i);
        }
      });
    return { figure, values, band, broken: out };
  });
  let baseline: number | null = null;
  sorted.forEach((r, i) => {
    if (r.summary.verdict === 'pass') baseline = i;
  });
  return { runs: sorted, figures, broken: [...broken].sort((a, b) => a - b), baseline };
}

/**
 * Every summary.json the arguments name: a run directory, a summary.json file, or a folder of
 * either (one level down). Throws RunInputError naming what was not usable.
 */
export async function collectHistoryRuns(paths: readonly string[]): Promise<HistoryRun[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info === null) throw new RunInputError(`${path}: no such file or directory`);
    if (info.isFile()) {
      files.push(resolve(path));
      continue;
    }
    const own = join(path, 'summary.json');
    if (await isFile(own)) {
      files.push(resolve(own));
      continue;
    }
    const found: string[] = [];
    for (const entry of (await readdir(path)).sort()) {
      const child = join(path, entry);
      if (entry.endsWith('.json') && (await isFile(child))) found.push(resolve(child));
      else if (await isFile(join(child, 'summary.json'))) found.push(resolve(join(child, 'summary.json')));
    }
    if (found.length === 0)
      throw new RunInputError(`${path}: no summary.json in it nor in its sub-directories (run directories)`);
    files.push(...found);
  }
  const runs: HistoryRun[] = [];
  for (const file of [...new Set(files)]) {
    const summary = await readSummary(file);
    const dir = dirname(file);
    const id = basename(file) === 'summary.json' ? basename(dir) : basename(file, '.json');
    runs.push({ dir, summaryPath: file, id, summary });
  }
  return runs;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() === true;
}
