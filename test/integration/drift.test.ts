import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseConfigText } from '../../src/config/load.js';
import { ScenarioFileSchema } from '../../src/load/scenario.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import type { Summary } from '../../src/summary/summary-schema.js';

// The drift verdict must catch a slow failure that a run's percentiles hide: a double that keeps
// 32 KiB of every request (--unsafe leak-memory) fails a CI soak of 70 s judged in 10 s windows
// (the time scaling), and the same soak against the safe double passes. Both stacks are small
// (one app node, no replica, object store or Calls) and run side by side to keep CI short.

const PASSWORD = 'Drift-test-Passw0rd';

async function smallStack(unsafe: ('leak-memory' | 'creeping-latency')[]): Promise<RunningStack> {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  if (env.provider !== 'native') throw new Error('environments/native.yaml is not native');
  env.appNodes = 1;
  env.database.replica = false;
  env.objectStore.enabled = false;
  env.calls.enabled = false;
  env.testDouble = { unsafe };
  return new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-drift-stack-'),
    adminPassword: PASSWORD,
  });
}

const SCENARIO = `
name: drift-ci-soak
seed: none
scenarios:
  pings:
    executor: constant-arrival-rate
    rate: 30
    timeUnit: 1s
    duration: 70s
    preAllocatedVUs: 10
    maxVUs: 30
    gracefulStop: 5s
    exec: { actions: [ping] }
drift:
  window: 10s
  warmup: 10s
  thresholds:
    mm_app_rss_slope: ["value<8MB/min"]
    http_req_failed_slope: ["value<1%/min"]
`;

async function soak(stack: RunningStack, name: string) {
  const stateDir = await createRunDir(`mmdrill-drift-${name}-`);
  return runScenario({
    scenario: parseConfigText(SCENARIO, `${name}.yaml`, ScenarioFileSchema, { kind: 'scenario' }),
    scenarioFile: `${name}.yaml`,
    stack: stack.document,
    adminPassword: PASSWORD,
    stateDir,
    outDir: join(stateDir, 'out'),
    argv: ['mmdrill', 'run', name],
    log: () => undefined,
    quiet: true,
  });
}

async function validateSummary(summary: Summary): Promise<void> {
  const schema = JSON.parse(
    await readFile(join(packageRoot(), 'schemas', 'summary.schema.json'), 'utf8'),
  ) as object;
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
}

describe('drift verdict on a short CI soak', () => {
  const stacks: RunningStack[] = [];
  beforeAll(async () => {
    stacks.push(...(await Promise.all([smallStack(['leak-memory']), smallStack([])])));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.down()));
  });

  it('fails a double that leaks memory (exit 99) and passes the steady one', async () => {
    const [leaky, steady] = await Promise.all([soak(stacks[0]!, 'leaky'), soak(stacks[1]!, 'steady')]);

    const leakDrift = leaky.summary.drift!;
    const leakRss = leakDrift.series.find((s) => s.name === 'mm_app_rss')!;
    expect(leakDrift.windows).toBeGreaterThanOrEqual(5);
    expect(leakRss.status).toBe('measured');
    expect(leakRss.slopePerMin!).toBeGreaterThan(8 * 1024 ** 2);
    expect(leakDrift.ok).toBe(false);
    expect(leaky.summary.verdict).toBe('fail');
    expect(leaky.exitCode).toBe(99);
    expect(leaky.summary.reason).toMatch(/drift: 1 drift threshold\(s\) failed: mm_app_rss_slope/);

    const steadyDrift = steady.summary.drift!;
    const steadyRss = steadyDrift.series.find((s) => s.name === 'mm_app_rss')!;
    expect(steadyRss.status).toBe('measured');
    expect(steadyRss.slopePerMin!).toBeLessThan(8 * 1024 ** 2);
    expect(steadyDrift.ok, steadyDrift.reason).toBe(true);
    expect(steady.summary.verdict, steady.summary.reason).toBe('pass');
    expect(steady.exitCode).toBe(0);
    // The other series are measured too (PostgreSQL through pg_stat_activity on the native stack).
    const measured = new Set(steadyDrift.series.filter((s) => s.status === 'measured').map((s) => s.name));
    for (const name of [
      'http_req_duration_p99',
      'http_req_failed',
      'mm_app_connections',
      'pg_connections',
      'mm_harness_rss',
    ])
      expect(measured, name).toContain(name);

    // The reports show it: the drift tables in summary.md, the trend charts with their fitted line.
    const markdown = await readFile(join(leaky.outDir, 'summary.md'), 'utf8');
    expect(markdown).toMatch(/Drift thresholds/);
    expect(markdown).toMatch(/mm_app_rss_slope/);
    const html = await readFile(join(leaky.outDir, 'report.html'), 'utf8');
    expect(html).toMatch(/id="drift-mm_app_rss"[\s\S]*class="fitted"/);
    await validateSummary(leaky.summary);
    await validateSummary(steady.summary);
  }, 150_000);
});
