import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapacityFlags, resolveSettings } from '../../src/capacity/settings.js';
import { packageRoot } from '../../src/common/package-root.js';
import { parseFaultPlanText } from '../../src/faults/plan.js';
import { FaultScheduler } from '../../src/faults/scheduler.js';
import { catalogFromStack } from '../../src/faults/targets.js';
import { loadScenarioFile } from '../../src/load/scenario.js';
import { type CapacitySecond, runCapacity } from '../../src/run/run-capacity.js';
import type { Environment } from '../../src/stack/environment.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';

// The capacity search against the native stack with a deliberately capped app tier
// (test/fixtures/capacity/capped-native.yaml: 2 nodes × 4 slots × 40 ms). Users looping on ping
// back to back make a request take N × 40 ms / 8 once every slot is busy, so avg-latency reaches its 100 ms limit at
// N = 20 users: the search must settle within ±10 % of that, twice in a row. Then a Toxiproxy
// latency fault on the database link makes the criteria breach below the maximum: the loop must
// remove users while it lasts and add them back once it is gone.

const ADMIN_PASSWORD = 'Capacity-test-Passw0rd';
const KNOWN_CAPACITY = (100 * 2 * 4) / 40;
const fixture = (name: string) => join(packageRoot(), 'test', 'fixtures', 'capacity', name);

let env: Environment;
let stack: RunningStack;
let stateDir: string;
/** Directories this suite made, removed at the end. */
const dirs: string[] = [];
const tempDir = async (prefix: string) => {
  const dir = await createRunDir(prefix);
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  env = await loadEnvironmentFile(fixture('capped-native.yaml'));
  stateDir = await tempDir('mmdrill-capacity-state-');
  stack = await new NativeProvider().up(env, {
    runDir: await tempDir('mmdrill-capacity-test-'),
    adminPassword: ADMIN_PASSWORD,
  });
}, 120_000);

afterAll(async () => {
  await stack?.down();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function search(
  scenarioFile: string,
  onSecond?: (s: CapacitySecond) => void,
  signal?: AbortSignal,
  flags: CapacityFlags = {},
) {
  const scenario = await loadScenarioFile(scenarioFile);
  const lines: string[] = [];
  const result = await runCapacity({
    scenario,
    scenarioFile,
    stack: stack.document,
    adminPassword: ADMIN_PASSWORD,
    stateDir,
    outDir: await tempDir('mmdrill-capacity-run-'),
    settings: resolveSettings(scenario, flags),
    seed: 'capacity-test',
    argv: ['capacity', scenarioFile],
    log: (line) => lines.push(line),
    ...(onSecond && { onSecond }),
    ...(signal && { signal }),
  });
  return { ...result, lines };
}

describe('mmdrill capacity: the short form against a capped app tier', () => {
  it(`settles within ±10 % of the cap's known capacity (${KNOWN_CAPACITY} users) in two consecutive runs`, async () => {
    for (const run of [1, 2]) {
      const { summary, outDir, lines } = await search(fixture('capped-ping.yaml'));
      const capacity = summary.capacity!;
      const context = `run ${run}: ${JSON.stringify({ ...capacity, breaches: capacity.breaches.slice(0, 5) })}\n${lines.join('\n')}`;
      expect(capacity.outcome, context).toBe('settled');
      expect(capacity.harnessBound, context).toBeUndefined();
      expect(capacity.limitingCriterion, context).toBe('avg-latency');
      expect(capacity.supportedUsers, context).toBeGreaterThanOrEqual(KNOWN_CAPACITY * 0.9);
      expect(capacity.supportedUsers, context).toBeLessThanOrEqual(KNOWN_CAPACITY * 1.1);
      expect(Math.abs(capacity.settle.slope!)).toBeLessThan(0.2);
      // The figure came from real breaches above it and quiet seconds below it.
      expect(capacity.breaches.length).toBeGreaterThan(0);
      expect(Math.min(...capacity.breaches.map((b) => b.users))).toBeGreaterThanOrEqual(KNOWN_CAPACITY * 0.8);
      expect(capacity.recommendation.tier?.users).toBe(200);
      expect(summary.verdict).not.toBe('fail');
      // The reports show it: the time series has the breaches, the reports the capacity section.
      const series = await readFile(join(outDir, 'timeseries.ndjson'), 'utf8');
      expect(series).toContain('"type":"capacity-breach"');
      expect(await readFile(join(outDir, 'summary.md'), 'utf8')).toContain('Capacity');
      expect(await readFile(join(outDir, 'report.html'), 'utf8')).toContain('id="capacity"');
    }
  }, 240_000);

  it('removes users when a database latency fault breaches the criteria, and adds them back once it is gone', async () => {
    const toxiproxy = new ToxiproxyClient(stack.document.toxiproxy!);
    const plan = await parseFaultPlanText(
      'name: db-slow\nfaults:\n  - kind: latency\n    target: app-db-primary\n    latency: 600ms\n    start: 0s\n    duration: 12s\n',
      'chaos/db-slow.yaml',
      env,
      { catalog: catalogFromStack(stack.document) },
    );
    const scheduler = new FaultScheduler({ plan, stack, toxiproxy });
    const seconds: (CapacitySecond & { phase: 'before' | 'fault' | 'after' })[] = [];
    let phase: 'before' | 'fault' | 'after' = 'before';
    let faultStartedAt = 0;
    const stop = new AbortController();
    const onSecond = (s: CapacitySecond) => {
      seconds.push({ ...s, phase });
      if (
        phase === 'before' &&
        s.activeUsers >= 12 &&
        seconds.filter((x) => x.activeUsers >= 12).length >= 3
      ) {
        phase = 'fault';
        faultStartedAt = s.elapsedS;
        scheduler.start();
        void scheduler.done().then(() => {
          phase = 'after';
        });
      }
      const settledAfter = seconds.filter((x) => x.phase === 'after').slice(-3);
      if (
        settledAfter.length === 3 &&
        settledAfter.every((x) => x.activeUsers >= 12 && x.breaches.length === 0)
      )
        stop.abort(new Error('recovered'));
      if (s.elapsedS > 150) stop.abort(new Error('gave up'));
    };
    let result: Awaited<ReturnType<typeof search>>;
    try {
      result = await search(fixture('db-fault.yaml'), onSecond, stop.signal);
    } finally {
      await scheduler.stopAll();
    }
    const context = JSON.stringify(
      seconds.map((s) => [s.elapsedS.toFixed(0), s.phase, s.activeUsers, ...s.breaches]),
    );
    const before = seconds.filter((s) => s.phase === 'before');
    const during = seconds.filter((s) => s.phase === 'fault');
    const after = seconds.filter((s) => s.phase === 'after');
    // Before the fault: up to the maximum with no breach at all.
    expect(
      before.every((s) => s.breaches.length === 0),
      context,
    ).toBe(true);
    // During it: latency breaches, and users removed well below the maximum.
    expect(
      during.some((s) => s.breaches.includes('avg-latency')),
      context,
    ).toBe(true);
    expect(
      during.some((s) => s.decision === 'remove'),
      context,
    ).toBe(true);
    expect(Math.min(...during.map((s) => s.activeUsers)), context).toBeLessThanOrEqual(4);
    // Users come back once requests are fast again (some may already return in the fault's last
    // seconds, when the few users left see no completed request to judge), and after the fault
    // the loop is back at the maximum with quiet seconds.
    const lowest = seconds.indexOf(during.reduce((a, b) => (b.activeUsers < a.activeUsers ? b : a)));
    expect(
      seconds.slice(lowest).some((s) => s.decision === 'add'),
      context,
    ).toBe(true);
    expect(after.length, context).toBeGreaterThanOrEqual(3);
    expect(
      after.slice(-3).every((s) => s.activeUsers === 12 && s.breaches.length === 0),
      context,
    ).toBe(true);
    expect(faultStartedAt).toBeGreaterThan(0);
    expect(result!.summary.capacity!.breaches.length).toBeGreaterThan(0);
    expect(result!.summary.partial).toBe(true);
  }, 240_000);

  it('bounded mode: users below the cap hold the criteria, users above it do not', async () => {
    const below = (
      await search(fixture('capped-ping.yaml'), undefined, undefined, { users: 10, holdMs: 6_000, step: 5 })
    ).summary;
    expect(below.capacity, JSON.stringify(below.capacity)).toMatchObject({
      mode: 'bounded',
      outcome: 'held',
      supportedUsers: 10,
      limitingCriterion: null,
    });
    expect(below.verdict).toBe('pass');
    const above = (
      await search(fixture('capped-ping.yaml'), undefined, undefined, { users: 30, holdMs: 6_000, step: 10 })
    ).summary;
    expect(above.capacity, JSON.stringify(above.capacity)).toMatchObject({
      mode: 'bounded',
      outcome: 'not-held',
      supportedUsers: null,
      limitingCriterion: 'avg-latency',
    });
    expect(above.verdict).not.toBe('pass');
    expect(above.reason).toMatch(/30 users did not hold the criteria \(avg-latency over its limit\)/);
  }, 120_000);

  it('a saturated harness ends the search as harness-bound instead of blaming the server', async () => {
    // Stall the harness's own event loop for 300 ms every second once users are running: its
    // latencies then measure the harness, and the search must say so rather than settle on them.
    const onSecond = (s: CapacitySecond) => {
      if (s.activeUsers < 4) return;
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // busy: the event loop is blocked
      }
    };
    const { summary } = await search(fixture('capped-ping.yaml'), onSecond);
    const capacity = summary.capacity!;
    expect(capacity.outcome, JSON.stringify(capacity)).toBe('harness-bound');
    expect(capacity.supportedUsers).toBeNull();
    expect(capacity.harnessBound?.users).toBeGreaterThanOrEqual(4);
    expect(capacity.harnessBound?.users).toBeLessThan(KNOWN_CAPACITY);
    expect(capacity.harnessBound?.reason).toMatch(/harness saturated .* scale the load out/);
    expect(summary.verdict).not.toBe('pass');
  }, 120_000);
});
