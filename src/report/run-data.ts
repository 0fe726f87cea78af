import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../common/exit-codes.js';
import type { Summary } from '../summary/summary-schema.js';
import { faultWindowsFromSummary, parseTimeseries, type Timeline } from './timeline.js';

// A run directory as the report writers see it: summary.json (required) and timeseries.ndjson
// (optional: a run that died early may not have one, and its reports still get written).

/** Bad input for a report or a comparison: a missing or unreadable run directory (exit 2). */
export class RunInputError extends UsageError {}

export interface RunData {
  /** Absolute path of the run directory. */
  dir: string;
  /** The directory's name: the run id. */
  id: string;
  summary: Summary;
  timeline: Timeline;
  /** False when timeseries.ndjson was missing. */
  hasTimeseries: boolean;
}

/** Loads `runDir` (a run directory, or the path of its summary.json). */
export async function loadRun(runDir: string): Promise<RunData> {
  const dir = await runDirectory(runDir);
  const summary = await readSummary(join(dir, 'summary.json'));
  let text: string | undefined;
  try {
    text = await readFile(join(dir, 'timeseries.ndjson'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const timeline = parseTimeseries(text ?? '');
  if (timeline.faults.length === 0 && summary.faults !== undefined && summary.faults.length > 0) {
    timeline.faults = faultWindowsFromSummary(summary.faults, timeline.intervals, summary);
  }
  return { dir, id: basename(dir), summary, timeline, hasTimeseries: text !== undefined };
}

/** Reads and checks summary.json: the fields every report needs must be there. */
export async function readSummary(path: string): Promise<Summary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunInputError(
      code === 'ENOENT'
        ? `${path}: no summary.json (is this a run directory written by \`mmdrill run\`?)`
        : `${path}: cannot read it (${code ?? String(err)})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RunInputError(`${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const problem = summaryProblem(value);
  if (problem !== undefined) throw new RunInputError(`${path}: ${problem}`);
  return value as Summary;
}

/**
 * The first missing or mistyped field a report relies on, or undefined. Deliberately lighter
 * than the full schema: a summary from a newer mmdrill with extra fields still gets its report.
 */
function summaryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const s = value as Record<string, unknown>;
  if (s.version !== 1) return `unsupported summary version ${JSON.stringify(s.version)} (expected 1)`;
  if (s.verdict !== 'pass' && s.verdict !== 'fail' && s.verdict !== 'invalid')
    return `"verdict" must be pass, fail or invalid, got ${JSON.stringify(s.verdict)}`;
  const expect: [string, (v: unknown) => boolean, string][] = [
    ['reason', (v) => typeof v === 'string', 'a string'],
    ['startedAt', (v) => typeof v === 'string', 'a string'],
    ['endedAt', (v) => typeof v === 'string', 'a string'],
    ['durationS', (v) => typeof v === 'number', 'a number'],
    ['partial', (v) => typeof v === 'boolean', 'true or false'],
    ['command', Array.isArray, 'an array'],
    ['thresholds', Array.isArray, 'an array'],
    ['metrics', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object'],
    ['scenario', (v) => typeof v === 'object' && v !== null, 'an object'],
    ['environment', (v) => typeof v === 'object' && v !== null, 'an object'],
    ['delivery', (v) => typeof v === 'object' && v !== null, 'an object'],
    ['harness', (v) => typeof v === 'object' && v !== null, 'an object'],
  ];
  for (const [field, ok, what] of expect) {
    if (!ok(s[field])) return `"${field}" must be ${what}`;
  }
  return undefined;
}

async function runDirectory(path: string): Promise<string> {
  const absolute = resolve(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch {
    throw new RunInputError(`${path}: no such run directory`);
  }
  if (info.isDirectory()) return absolute;
  if (basename(absolute) === 'summary.json') return resolve(absolute, '..');
  throw new RunInputError(`${path}: not a run directory (expected a directory holding summary.json)`);
}
