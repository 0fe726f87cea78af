import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { runCli } from '../support/cli.js';

// `mmdrill drill` refuses a bad drill or fault plan before it starts anything: file, line and
// field, exit code 2, no stack trace.

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-drill-cli-'));
  for (const dir of ['environments', 'scenarios', 'schemas'])
    await cp(join(packageRoot(), dir), join(work, dir), { recursive: true });
  await cp(join(packageRoot(), 'chaos', 'ddil'), join(work, 'chaos', 'ddil'), { recursive: true });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function drillWithPlan(
  plan: string,
): Promise<{ code: number | null; stderr: string; planFile: string }> {
  const planFile = join(work, 'chaos', `plan-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(planFile, plan);
  const drillFile = join(work, `drill-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    drillFile,
    `name: bad\nenvironment: environments/native.yaml\nscenario: scenarios/drill.yaml\nfaults: ${planFile}\n`,
  );
  const r = await runCli(['drill', drillFile, '--state-dir', join(work, 'state')]);
  return { code: r.code, stderr: r.stderr, planFile };
}

function expectClear(
  r: { code: number | null; stderr: string; planFile: string },
  line: number,
  message: RegExp,
): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(`${basename(r.planFile)}:${line}:`);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bad fault plans', () => {
  it('an unknown target', async () => {
    expectClear(
      await drillWithPlan(
        'name: p\nfaults:\n  - kind: kill\n    target: app-9\n    start: 10s\n    duration: 5s\n',
      ),
      4,
      /app-9/,
    );
  });

  it('a negative duration', async () => {
    expectClear(
      await drillWithPlan(
        'name: p\nfaults:\n  - kind: kill\n    target: app-1\n    start: 10s\n    duration: -5s\n',
      ),
      6,
      /duration/,
    );
  });

  it('two partitions overlapping on one link', async () => {
    expectClear(
      await drillWithPlan(
        'name: p\nfaults:\n  - kind: partition\n    target: users-lb\n    start: 10s\n    duration: 20s\n  - kind: latency\n    target: users-lb\n    latency: 100ms\n    start: 15s\n    duration: 5s\n',
      ),
      10,
      /overlaps.*users-lb is down/,
    );
  });

  it('a drill naming a missing file', async () => {
    const drillFile = join(work, 'missing.yaml');
    await writeFile(
      drillFile,
      'name: m\nenvironment: environments/native.yaml\nscenario: scenarios/nope.yaml\nfaults: chaos/nope.yaml\n',
    );
    const r = await runCli(['drill', drillFile, '--state-dir', join(work, 'state')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${drillFile}:3:`);
    expect(r.stderr).toContain('no such file');
  });
});
