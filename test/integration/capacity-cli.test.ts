import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { runCli } from '../support/cli.js';

// `mmdrill capacity` refuses what cannot run before it starts anything: bad flags and bad
// `capacity:` sections get one clear sentence (file:line:field for files), exit 2, no stack trace.

let work: string;
let stateDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-capacity-cli-'));
  stateDir = join(work, 'state');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const BASE = `name: cap
seed: none
scenarios:
  users:
    executor: constant-vus
    duration: 10s
    exec: { actions: [ping] }
`;

async function scenarioFile(text: string): Promise<string> {
  const file = join(work, `s-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return file;
}

async function expectUsageError(args: string[], message: RegExp): Promise<string> {
  const r = await runCli(['capacity', ...args, '--state-dir', stateDir]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/internal error/);
  return r.stderr;
}

describe('mmdrill capacity: bad parameters', () => {
  it('--help says what it does, with examples', async () => {
    const r = await runCli(['capacity', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--max-users', '--step', '--rest', '--settle', '--target-users', '--users', '--json'])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/least-squares slope/);
    expect(r.stdout).toMatch(/harness-bound/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  it('a maximum below the step', async () => {
    const file = await scenarioFile(BASE);
    await expectUsageError(
      [file, '--max-users', '4', '--step', '8'],
      /--max-users 4: the maximum users \(4\) must be at least one step \(8\)/,
    );
  });

  it('flags that are not numbers or durations', async () => {
    const file = await scenarioFile(BASE);
    await expectUsageError([file, '--step', '0'], /--step: expected a positive whole number, got "0"/);
    await expectUsageError([file, '--settle', 'soon'], /--settle: /);
    await expectUsageError([file, '--duration', '1m'], /--duration: only with --users/);
  });

  it('an unknown criterion in the capacity section: file, line and field, with a suggestion', async () => {
    const file = await scenarioFile(`${BASE}capacity:\n  criteria:\n    p99-latncy: 1500\n`);
    const stderr = await expectUsageError([file], /unknown key "p99-latncy"/);
    expect(stderr).toContain(`${file}:10:`);
    expect(stderr).toMatch(/did you mean "p99-latency"/);
  });

  it('a maximum below the step in the file names the field', async () => {
    const file = await scenarioFile(`${BASE}capacity:\n  step: 8\n  maxUsers: 4\n`);
    const stderr = await expectUsageError([file], /maxUsers/);
    expect(stderr).toContain(`${file}:10:`);
    expect(stderr).toMatch(/must be at least one step \(8\)/);
  });

  it('a criterion limit that is not a number', async () => {
    const file = await scenarioFile(`${BASE}capacity:\n  criteria:\n    avg-latency: fast\n`);
    const stderr = await expectUsageError([file], /avg-latency/);
    expect(stderr).toMatch(/expected a limit \(a number above 0\) or false/);
  });
});

describe('mmdrill capacity: end to end', () => {
  it('--json on a stack it brings up itself (bounded mode): the result on stdout, reports written, stack taken down', async () => {
    const fixtures = join(packageRoot(), 'test', 'fixtures', 'capacity');
    const out = join(work, 'out-json');
    const r = await runCli(
      [
        'capacity',
        join(fixtures, 'capped-ping.yaml'),
        '--env',
        join(fixtures, 'capped-native.yaml'),
        '--users',
        '6',
        '--duration',
        '4s',
        '--step',
        '3',
        '--target-users',
        '5',
        '--json',
        '--out',
        out,
        '--state-dir',
        join(work, 'state-e2e'),
      ],
      { MMDRILL_ADMIN_PASSWORD: 'Capacity-cli-Passw0rd' },
    );
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { verdict: string; capacity: Record<string, unknown> };
    expect(result.verdict).toBe('pass');
    expect(result.capacity).toMatchObject({ mode: 'bounded', outcome: 'held', supportedUsers: 6 });
    expect(result.capacity.recommendation).toMatchObject({ targetUsers: 5, tier: { users: 200 } });
    for (const file of ['summary.json', 'report.html', 'summary.md', 'timeseries.ndjson'])
      expect(existsSync(join(out, file)), file).toBe(true);
    expect(r.stderr).toMatch(/taking down the stack/);
    expect(r.stderr).not.toContain('Capacity-cli-Passw0rd');
  }, 120_000);
});
