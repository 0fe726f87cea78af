import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { isPidAlive, processState } from '../../src/stack/native/procfs.js';
import { descendants, startCli } from '../support/cli.js';

// Ctrl-C at each phase of `mmdrill drill` — stack bring-up, seeding, load with a toxic in force,
// reports and stack down — exits 130 with "interrupted", no stack trace, never "internal error",
// and leaves no process of the stack behind. The CI-sized form of scripts/interrupt-drill.mjs
// (random moments, also `stack up`); `stack up` interrupted is in stack-cli.test.ts, the removal
// of each fault kind on interrupt in faults-interrupt.test.ts.

let work: string;
let drillFile: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-interrupts-'));
  const root = packageRoot();
  const plan = join(work, 'latency.yaml');
  await writeFile(
    plan,
    [
      'name: interrupts',
      'faults:',
      '  - name: slow-users',
      '    kind: latency',
      '    target: users-lb',
      '    stream: both',
      '    latency: 20ms',
      '    start: 2s',
      '    duration: 30s',
      '',
    ].join('\n'),
  );
  drillFile = join(work, 'interrupts.yaml');
  await writeFile(
    drillFile,
    [
      'name: interrupts',
      `environment: ${join(root, 'environments', 'native.yaml')}`,
      `scenario: ${join(root, 'scenarios', 'drill.yaml')}`,
      `faults: ${plan}`,
      'duration: 8s',
      'users: 5',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the drill, sends SIGINT `delayMs` after a stderr line matches `at`, returns what it saw. */
async function interruptAt(at: RegExp, delayMs: number, name: string) {
  const dir = join(work, name);
  const { child, result } = startCli([
    'drill',
    drillFile,
    '--out',
    join(dir, 'out'),
    '--state-dir',
    join(dir, 'state'),
  ]);
  const seen = new Set<number>();
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const polling = setInterval(() => {
    for (const pid of descendants(child.pid!)) seen.add(pid);
  }, 50);
  const deadline = Date.now() + 150_000;
  while (!at.test(stderr) && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGINT');
  const exit = await result;
  clearInterval(polling);
  // Processes SIGKILLed on the way out need a moment to be reaped.
  const gone = (pid: number) => !isPidAlive(pid) || processState(pid) === 'Z';
  const until = Date.now() + 5_000;
  while ([...seen].some((pid) => !gone(pid)) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 50));
  return { exit, seen, alive: [...seen].filter((pid) => !gone(pid)) };
}

function expectClean(run: Awaited<ReturnType<typeof interruptAt>>, minProcesses: number): void {
  const { exit } = run;
  expect(exit.code, exit.stderr).toBe(130);
  expect(exit.stderr).toMatch(/^mmdrill: interrupted$/m);
  expect(exit.stderr).not.toContain('internal error');
  expect(exit.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(exit.stderr).not.toContain('removing faults failed');
  expect(exit.stderr).not.toContain('stack down failed');
  expect(run.seen.size).toBeGreaterThanOrEqual(minProcesses);
  expect(run.alive).toEqual([]);
}

// A whole drill under CI load can take longer than the default 60 s.
describe('a drill interrupted', { timeout: 240_000 }, () => {
  it('during stack bring-up stops what was started', async () => {
    const run = await interruptAt(/✓ postgres-replica/, 0, 'bring-up');
    expectClean(run, 2);
  });

  it('during seeding takes the stack down', async () => {
    const run = await interruptAt(/channel members/, 0, 'seeding');
    expectClean(run, 8);
    expect(run.exit.stderr).toContain('taking the drill stack down');
  });

  it('during the load, with a toxic in force, removes it and writes a partial summary', async () => {
    const run = await interruptAt(/running drill against/, 4_000, 'load');
    expectClean(run, 8);
    expect(run.exit.stderr).toContain('reports:');
  });

  it('while the reports are written and the stack goes down still exits 130', async () => {
    const run = await interruptAt(/reports:/, 0, 'reports');
    expectClean(run, 8);
  });
});
