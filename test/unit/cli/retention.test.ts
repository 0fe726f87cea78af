import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention, parseKeep } from '../../../src/cli/retention.js';
import { UsageError } from '../../../src/common/exit-codes.js';
import { runCli } from '../../support/cli.js';

// --keep removes old run directories (those holding a summary.json) beside the new run and old
// stack directories, never the run just written, the running stack's directory, or anything else.

let root: string;
const DAY = 86_400_000;

async function runDir(parent: string, name: string, ageDays: number): Promise<string> {
  const dir = join(parent, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'summary.json'), '{}');
  const at = new Date(Date.now() - ageDays * DAY);
  await utimes(join(dir, 'summary.json'), at, at);
  return dir;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmdrill-keep-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('--keep', () => {
  it('parses a count or an age, and refuses anything else', () => {
    expect(parseKeep('30')).toEqual({ count: 30 });
    expect(parseKeep('30d')).toEqual({ maxAgeMs: 30 * DAY });
    expect(parseKeep('12h')).toEqual({ maxAgeMs: 12 * 3_600_000 });
    for (const bad of ['0', 'zz', '-1', '30 days', '']) expect(() => parseKeep(bad), bad).toThrow(UsageError);
  });

  it('keeps the newest N runs and the new one, removes older runs and dead stacks only', async () => {
    const reports = join(root, 'reports');
    for (const [i, age] of [5, 4, 3, 2, 1].entries()) await runDir(reports, `night-${i + 1}`, age);
    const current = await runDir(reports, 'tonight', 10); // oldest mtime, but the run just written
    await mkdir(join(reports, 'notes'), { recursive: true }); // not a run directory
    const state = join(root, 'state');
    // The running stack's directory is the oldest: protected all the same.
    for (const [name, age] of [
      ['stack-a', 1],
      ['stack-b', 9],
      ['stack-c', 10],
      ['stack-native-live', 20],
    ] as const) {
      await mkdir(join(state, name), { recursive: true });
      const at = new Date(Date.now() - age * DAY);
      await utimes(join(state, name), at, at);
    }
    await writeFile(
      join(state, 'stack.json'),
      JSON.stringify({ document: { runDir: join(state, 'stack-native-live') }, dataDirs: {} }),
    );

    const removed = await applyRetention({ count: 2 }, current, state);
    expect((await readdir(reports)).sort()).toEqual(['night-4', 'night-5', 'notes', 'tonight']);
    expect(removed.map((p) => p.slice(root.length + 1)).sort()).toEqual([
      'reports/night-1',
      'reports/night-2',
      'reports/night-3',
      'state/stack-c',
    ]);
    expect((await readdir(state)).sort()).toEqual(['stack-a', 'stack-b', 'stack-native-live', 'stack.json']);

    await applyRetention({ maxAgeMs: 1.5 * DAY }, current, state);
    expect((await readdir(reports)).sort()).toEqual(['night-5', 'notes', 'tonight']);
  });

  it('a bad --keep on run, drill or capacity exits 2 before anything runs', async () => {
    for (const args of [
      ['run', 'scenarios/messaging.yaml', '--keep', 'forever'],
      ['capacity', 'scenarios/capacity.yaml', '--keep', 'forever'],
      ['drill', 'drills/app-node-kill.yaml', '--keep', 'forever'],
    ]) {
      const r = await runCli(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/--keep: expected a number of runs/);
    }
  });
});
