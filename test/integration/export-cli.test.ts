import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { k6Options } from '../../src/export/k6/k6-options.js';
import {
  type K6SummaryDocument,
  SUMMARY_BEGIN_MARK,
  SUMMARY_END_MARK,
} from '../../src/export/k6/summary-document.js';
import { loadScenarioFile } from '../../src/load/scenario.js';
import type { Summary } from '../../src/summary/summary-schema.js';
import { runCli } from '../support/cli.js';

// The exports and `mmdrill report --from-k6` as a user runs them (the built CLI): a k6 summary in
// the shape the generated handleSummary writes becomes mmdrill's reports with its values carried
// over, and bad input is a clear error with exit code 2.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmdrill-export-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trend = (count: number, avg: number, p99: number, ok?: Record<string, boolean>) => ({
  type: 'trend' as const,
  contains: 'time',
  values: {
    avg,
    min: 1,
    med: avg * 0.8,
    max: p99 * 2,
    'p(90)': p99 * 0.6,
    'p(95)': p99 * 0.8,
    'p(99)': p99,
    count,
  },
  ...(ok && { thresholds: Object.fromEntries(Object.entries(ok).map(([k, v]) => [k, { ok: v }])) }),
});

/** What handleSummary writes for scenarios/messaging.yaml on one runner. */
async function messagingSummary(options: {
  p99: number;
  requests: number;
  failed: number;
}): Promise<K6SummaryDocument> {
  const { thresholds, skippedThresholds } = k6Options(await loadScenarioFile('scenarios/messaging.yaml'));
  const p99ok = options.p99 < 2000;
  return {
    format: 'mmdrill-k6-summary',
    version: 1,
    scenario: { name: 'messaging', file: 'scenarios/messaging.yaml', scenarios: ['users'] },
    environment: { name: 'k8s', url: 'https://mattermost.example.org' },
    thresholds,
    skippedThresholds,
    startedAt: '2026-11-27T01:00:00.000Z',
    endedAt: '2026-11-27T01:01:00.000Z',
    durationMs: 60_000,
    metrics: {
      http_reqs: {
        type: 'counter',
        contains: 'default',
        values: { count: options.requests, rate: options.requests / 60 },
      },
      http_req_failed: {
        type: 'rate',
        contains: 'default',
        values: {
          rate: options.failed / options.requests,
          passes: options.failed,
          fails: options.requests - options.failed,
        },
        thresholds: { 'rate<0.01': { ok: options.failed / options.requests < 0.01 } },
      },
      http_req_duration: trend(options.requests, 40, options.p99, { 'p(99)<2000': p99ok, 'avg<100': true }),
      http_req_5xx: {
        type: 'rate',
        contains: 'default',
        values: { rate: 0, passes: 0, fails: options.requests },
        thresholds: { 'rate<0.00025': { ok: true } },
      },
      mm_timeout_rate: {
        type: 'rate',
        contains: 'default',
        values: { rate: 0, passes: 0, fails: options.requests },
        thresholds: { 'rate<0.00025': { ok: true } },
      },
      mm_delivery_latency: trend(250, 120, 480, { 'p(99)<1000': true }),
      mm_delivery_posts: { type: 'counter', contains: 'default', values: { count: 25, rate: 25 / 60 } },
    },
  };
}

describe('mmdrill report --from-k6', () => {
  it('turns a k6 summary into summary.json, report.html, summary.md and junit.xml with the values carried over', async () => {
    const file = join(dir, 'pass.json');
    await writeFile(file, JSON.stringify(await messagingSummary({ p99: 900, requests: 12_000, failed: 6 })));
    const out = join(dir, 'pass-run');
    const r = await runCli(['report', '--from-k6', file, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(
      ['summary.json', 'report.html', 'summary.md', 'junit.xml'].map((f) => join(out, f)),
    );
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.verdict).toBe('pass');
    expect(summary.metrics.http_reqs).toEqual({ type: 'counter', count: 12_000, rate: 200 });
    expect(summary.metrics.http_req_duration).toMatchObject({
      type: 'trend',
      count: 12_000,
      p99: 900,
      avg: 40,
    });
    expect(summary.delivery).toEqual({ posts: 25, latency: { p50: 96, p95: 384, p99: 480 }, undelivered: 0 });
    expect(summary.thresholds).toContainEqual({
      metric: 'http_req_duration',
      expression: 'p(99)<2000',
      ok: true,
      value: 900,
    });
    expect(summary.thresholds).toContainEqual({
      metric: 'http_req_5xx',
      expression: 'rate<0.00025',
      ok: true,
      value: 0,
      source: 'targets:mattermost-reference',
    });
    expect(summary.thresholds.map((t) => t.metric)).not.toContain('mm_delivery_missed');
    expect(summary.reason).toContain('not measured in k6: mm_delivery_missed count==0');
    expect(summary.environment).toEqual({
      name: 'k8s',
      provider: 'existing',
      url: 'https://mattermost.example.org',
    });
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toMatch(/PASS: messaging on k8s/);
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('p(99)&lt;2000');
  });

  it('fails (exit 99) when k6 judged a threshold failed, and merges several runners from their logs', async () => {
    const runner = async (p99: number) =>
      `INFO starting\nok   http_req_failed rate<0.01\n${SUMMARY_BEGIN_MARK}\n${JSON.stringify(
        await messagingSummary({ p99, requests: 5_000, failed: 10 }),
      )}\n${SUMMARY_END_MARK}\n`;
    const log = join(dir, 'runners.log');
    await writeFile(log, `${await runner(800)}${await runner(2500)}`);
    const out = join(dir, 'fail-run');
    const r = await runCli(['report', '--from-k6', log, '--out', out]);
    expect(r.code, r.stderr).toBe(99);
    expect(r.stderr).toMatch(/verdict: fail/);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.metrics.http_reqs).toMatchObject({ count: 10_000 });
    expect(summary.metrics.http_req_failed).toMatchObject({ count: 10_000, passes: 20, rate: 0.002 });
    // Percentiles of several runners: the largest one, an upper bound (said in the reason).
    expect(summary.thresholds).toContainEqual({
      metric: 'http_req_duration',
      expression: 'p(99)<2000',
      ok: false,
      value: 2500,
    });
    expect(summary.reason).toContain('2 k6 runner summaries');
  });

  it('exits 2 with a clear message for a missing file or one that is not a k6 summary of mmdrill', async () => {
    const missing = await runCli(['report', '--from-k6', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from-k6 .*nope\.json: no such file/);
    const other = join(dir, 'other.json');
    await writeFile(other, JSON.stringify({ metrics: {}, root_group: {} }));
    const wrong = await runCli(['report', '--from-k6', other]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/other\.json: not a summary written by an mmdrill k6 script/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('mmdrill export: bad input', () => {
  it('an unknown scenario file, or one with a mistake, is exit 2 naming file, line and field', async () => {
    const r = await runCli(['export', 'k6', 'scenarios/nope.yaml', '--out', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read scenario file scenarios\/nope\.yaml: no such file/);
    const bad = join(dir, 'bad-scenario.yaml');
    await writeFile(
      bad,
      'name: bad\nscenarios:\n  users:\n    executor: constant-vus\n    vus: 0\n    duration: 10s\n',
    );
    const r2 = await runCli(['export', 'k6', bad, '--out', join(dir, 'x')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/bad-scenario\.yaml:5:\d+ +scenarios\.users\.vus: must be >= 1/);
  });

  it('--parallelism must be a whole number ≥ 1', async () => {
    const r = await runCli([
      'export',
      'k6',
      'scenarios/messaging.yaml',
      '--out',
      join(dir, 'x'),
      '--parallelism',
      '0',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--parallelism: expected a whole number ≥ 1, got "0"/);
  });

  it('a fault plan needs --env, with a kubernetes section, and targets the cluster has', async () => {
    const noEnv = await runCli(['export', 'chaos-mesh', 'chaos/app-node-kill.yaml', '--out', join(dir, 'c')]);
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toMatch(/--env is required/);
    const plain = await runCli([
      'export',
      'chaos-mesh',
      'chaos/app-node-kill.yaml',
      '--env',
      'environments/existing.example.yaml',
      '--out',
      join(dir, 'c'),
    ]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/existing\.example\.yaml:1:1 +kubernetes: .*kubernetes section/);
    const plan = join(dir, 'wrong-target.yaml');
    await writeFile(
      plan,
      'name: wrong\nfaults:\n  - kind: kill\n    target: app-9\n    start: 1s\n    duration: 5s\n',
    );
    const wrong = await runCli([
      'export',
      'chaos-mesh',
      plan,
      '--env',
      'environments/k8s.yaml',
      '--out',
      join(dir, 'c'),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/wrong-target\.yaml:4:\d+ +faults\[0\]\.target: /);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('mmdrill export --crds', () => {
  // A CRD that lacks a field the export writes (spec.separate): the check must name it and write nothing.
  const OLD_CRD = join(packageRoot(), 'test', 'fixtures', 'crds', 'testrun-without-separate.yaml');

  it("rejects a manifest the cluster's CRD would refuse, as file:path: message, exit 2, nothing written", async () => {
    const out = join(dir, 'crd-rejected');
    const r = await runCli(['export', 'k6', 'scenarios/messaging.yaml', '--out', out, '--crds', OLD_CRD]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`the CRDs in ${OLD_CRD} reject the generated manifests (nothing was written)`);
    expect(r.stderr).toContain(
      `${join(out, 'testrun.yaml')}:TestRun.spec: must NOT have additional properties (separate)`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('writes the manifests when the CRD accepts them, and names a kind the CRDs lack', async () => {
    // The same CRD once it knows spec.separate: now the TestRun is accepted and written.
    const newer = join(dir, 'testrun-with-separate.yaml');
    await writeFile(
      newer,
      (await readFile(OLD_CRD, 'utf8')).replace(
        'parallelism: { type: integer, format: int32 }',
        'parallelism: { type: integer, format: int32 }\n                    separate: { type: boolean }',
      ),
    );
    const out = join(dir, 'crd-accepted');
    const ok = await runCli(['export', 'k6', 'scenarios/messaging.yaml', '--out', out, '--crds', newer]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(join(out, 'testrun.yaml'))).toBe(true);
    const chaos = await runCli([
      'export',
      'chaos-mesh',
      'chaos/app-node-kill.yaml',
      '--env',
      'environments/k8s.yaml',
      '--out',
      join(dir, 'crd-chaos'),
      '--crds',
      OLD_CRD,
    ]);
    expect(chaos.code).toBe(2);
    expect(chaos.stderr).toMatch(
      /workflow\.yaml:Workflow: no CRD for chaos-mesh\.org\/v1alpha1 Workflow in .* \(kubectl get crd workflows\.chaos-mesh\.org -o yaml\)/,
    );
    const missing = await runCli([
      'export',
      'k6',
      'scenarios/messaging.yaml',
      '--out',
      out,
      '--crds',
      join(dir, 'nope'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--crds .*nope: no such file or directory/);
  });
});
