import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/summary/summary-schema.js';
import { runCli } from '../support/cli.js';

// `mmdrill run` as CI jobs use it: exit 99 when a threshold fails, exit 2 with file:line:field for
// a bad scenario file.

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-run-cli-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function scenarioFile(text: string): Promise<string> {
  const file = join(work, `s-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return file;
}

describe('mmdrill run', () => {
  it('exits 99 when a threshold fails, and says which', async () => {
    const file = await scenarioFile(`name: must-fail
seed: none
scenarios:
  ping:
    executor: constant-arrival-rate
    rate: 20
    duration: 3s
    preAllocatedVUs: 5
    exec: { actions: [ping] }
thresholds:
  http_req_duration: ['p(99)<0.001']
  http_reqs: ['count>10']
`);
    const out = join(work, 'out-fail');
    const r = await runCli(['run', file, '--out', out, '--state-dir', join(work, 'state')]);
    expect(r.code, r.stderr).toBe(99);
    expect(r.stderr).toMatch(/verdict: fail/);
    expect(r.stderr).toContain('http_req_duration p(99)<0.001');
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.verdict).toBe('fail');
    expect(summary.thresholds.find((t) => t.metric === 'http_reqs')).toMatchObject({ ok: true });
    expect(summary.thresholds.find((t) => t.metric === 'http_req_duration')).toMatchObject({ ok: false });
  });

  async function expectBad(text: string, line: number, field: string, message: RegExp): Promise<void> {
    const file = await scenarioFile(text);
    const r = await runCli(['run', file, '--state-dir', join(work, 'state')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}:${line}:`);
    expect(r.stderr).toContain(field);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }

  it('reports an unknown executor with file, line and field', async () => {
    await expectBad(
      'name: x\nscenarios:\n  a:\n    executor: constant-rate\n    duration: 1s\n',
      4,
      'scenarios.a',
      /executor|constant-arrival-rate|constant-vus/,
    );
  });

  it('reports a bad threshold expression', async () => {
    await expectBad(
      "name: x\nscenarios:\n  a:\n    executor: constant-vus\n    duration: 1s\nthresholds:\n  http_req_duration: ['p99<100']\n",
      7,
      'thresholds.http_req_duration',
      /invalid threshold/,
    );
  });

  it('reports an unknown metric in a threshold', async () => {
    await expectBad(
      "name: x\nscenarios:\n  a:\n    executor: constant-vus\n    duration: 1s\nthresholds:\n  http_reqz: ['count>1']\n",
      7,
      'http_reqz',
      /unknown metric.*did you mean "http_reqs"/,
    );
  });

  it('reports a wrong type and a negative duration', async () => {
    await expectBad(
      'name: x\nscenarios:\n  a:\n    executor: constant-vus\n    vus: many\n    duration: 1s\n',
      5,
      'vus',
      /expected integer/,
    );
    await expectBad(
      'name: x\nscenarios:\n  a:\n    executor: constant-vus\n    duration: -5s\n',
      5,
      'duration',
      /duration/,
    );
  });

  it('reports an unknown action in a loop', async () => {
    await expectBad(
      'name: x\nscenarios:\n  a:\n    executor: constant-vus\n    duration: 1s\n    exec: { actions: [pong] }\n',
      6,
      'actions',
      /ping/,
    );
  });
});
