import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../common/exit-codes.js';
import { parseDuration } from '../config/duration.js';
import { readState } from '../stack/state.js';

// Housekeeping for a nightly job: `--keep N` (the newest N runs) or `--keep AGE` (runs younger
// than 30d, 12h…) on run, drill and capacity. After the run, sibling run directories in its
// parent (directories holding a summary.json) beyond that are removed, and so are stack
// directories (`<state-dir>/stack-*`) of stacks no longer running. The run just written and the
// running stack's directory are always kept; nothing else is ever touched.

export type Keep = { count: number } | { maxAgeMs: number };

/** `--keep 30` or `--keep 30d` / `12h` / `90m`. Throws UsageError (exit 2) on anything else. */
export function parseKeep(text: string): Keep {
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1) throw new UsageError('--keep: keep at least 1 run (or give an age, e.g. 30d)');
    return { count };
  }
  const days = /^(\d+)d$/.exec(text);
  if (days) return { maxAgeMs: Number(days[1]) * 86_400_000 };
  try {
    const ms = parseDuration(text);
    if (ms > 0) return { maxAgeMs: ms };
  } catch {
    // falls through to the message below
  }
  throw new UsageError(`--keep: expected a number of runs (30) or an age (30d, 12h), got "${text}"`);
}

export const KEEP_OPTION = [
  '--keep <n|age>',
  'afterwards remove older run directories beside this one and old stack directories: keep N, or those younger than AGE (30d)',
] as const;

/** Adds --keep to a command. */
export function withKeepOption(command: Command): Command {
  return command.option(...KEEP_OPTION);
}

interface Entry {
  path: string;
  mtimeMs: number;
}

/** Which of the entries go: beyond the newest `count`, or older than `maxAgeMs`; protected ones never. */
export function entriesToRemove(
  entries: readonly Entry[],
  keep: Keep,
  protect: ReadonlySet<string>,
  now = Date.now(),
): string[] {
  const newestFirst = [...entries].sort((a, b) => b.mtimeMs - a.mtimeMs);
  return newestFirst
    .filter((e, index) => ('count' in keep ? index >= keep.count : now - e.mtimeMs > keep.maxAgeMs))
    .map((e) => e.path)
    .filter((p) => !protect.has(p));
}

async function children(
  dir: string,
  accept: (path: string, name: string) => Promise<string | null>,
): Promise<Entry[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Entry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const marker = await accept(path, name);
    if (marker === null) continue;
    const info = await stat(marker).catch(() => null);
    if (info) out.push({ path, mtimeMs: info.mtimeMs });
  }
  return out;
}

/** Applies --keep after a run wrote `outDir`; returns what was removed (absolute paths). */
export async function applyRetention(keep: Keep, outDir: string, stateDir: string): Promise<string[]> {
  const run = resolve(outDir);
  const runs = await children(dirname(run), async (path) => {
    const summary = join(path, 'summary.json');
    return (await stat(summary).catch(() => null))?.isFile() ? summary : null;
  });
  const state = await readState(stateDir).catch(() => null);
  const running = state ? resolve(state.document.runDir) : '';
  const stacks = await children(resolve(stateDir), async (path, name) =>
    name.startsWith('stack-') && (await stat(path).catch(() => null))?.isDirectory() ? path : null,
  );
  const removed = [
    ...entriesToRemove(runs, keep, new Set([run])),
    ...entriesToRemove(stacks, keep, new Set([running])),
  ];
  for (const path of removed) await rm(path, { recursive: true, force: true });
  return removed;
}

/** The closing line about what --keep removed. */
export function retentionLine(removed: readonly string[]): string {
  return removed.length === 0
    ? 'keep: nothing to remove'
    : `keep: removed ${removed.length} old director${removed.length === 1 ? 'y' : 'ies'} (${removed.map((p) => basename(p)).join(', ')})`;
}
