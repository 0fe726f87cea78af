import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseConfigText } from '../../src/config/load.js';
import { ScenarioFileSchema } from '../../src/load/scenario.js';
import type { Tick } from '../../src/metrics/heartbeat.js';
import { driveScenarioLoad } from '../../src/run/run-scenario.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';

// Is the measurement exact? Known delays injected on the real path must show up, by the right
// amount, in what the harness reports — including delays the server causes by stalling.

const PASSWORD = 'Accuracy-Passw0rd';
let stack: RunningStack;
let stateDir: string;

beforeAll(async () => {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  stateDir = await createRunDir('mmdrill-accuracy-');
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-accuracy-stack-'),
    adminPassword: PASSWORD,
  });
});

afterAll(async () => {
  await stack?.down();
});

function pingScenario(rate: number, duration: string): string {
  return `
name: ping-accuracy
seed: none
scenarios:
  ping:
    executor: constant-arrival-rate
    rate: ${rate}
    timeUnit: 1s
    duration: ${duration}
    preAllocatedVUs: 50
    maxVUs: 1000
    gracefulStop: 10s
    exec: { actions: [ping] }
`;
}

async function run(text: string, listeners: ((tick: Tick) => void)[], name: string) {
  const { session, summaryInput } = await driveScenarioLoad(
    {
      scenario: parseConfigText(text, `${name}.yaml`, ScenarioFileSchema, { kind: 'scenario' }),
      scenarioFile: `${name}.yaml`,
      stack: stack.document,
      adminPassword: PASSWORD,
      stateDir,
      outDir: join(stateDir, name),
      argv: ['mmdrill', 'run', name],
      log: () => undefined,
      quiet: true,
    },
    { listeners },
  );
  return session.finish(summaryInput, { partial: false });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('measurement accuracy', () => {
  it('100 ms of Toxiproxy latency on the users→LB link raises the ping p50 by 100 ± 5 ms, in each direction', async () => {
    const toxiproxy = new ToxiproxyClient(stack.document.toxiproxy!);
    const p50ByPhase: Record<'base' | 'upstream' | 'downstream', number[]> = {
      base: [],
      upstream: [],
      downstream: [],
    };
    let phase: keyof typeof p50ByPhase = 'base';
    let switching = Promise.resolve();
    const listener = (tick: Tick) => {
      const second = Math.round(tick.elapsedMs / 1000);
      const med = tick.interval.snapshot('http_req_duration');
      // Skip the second in which a toxic was switched: its requests straddle the change.
      if (med?.type === 'trend' && med.count > 0 && ![1, 7, 13].includes(second) && second <= 18) {
        p50ByPhase[phase].push(med.med);
      }
      if (second === 6) {
        phase = 'upstream';
        switching = toxiproxy
          .addToxic('users-lb', {
            name: 'lat',
            type: 'latency',
            stream: 'upstream',
            attributes: { latency: 100 },
          })
          .then(() => undefined);
      }
      if (second === 12) {
        phase = 'downstream';
        switching = switching
          .then(() => toxiproxy.removeToxic('users-lb', 'lat'))
          .then(() =>
            toxiproxy.addToxic('users-lb', {
              name: 'lat',
              type: 'latency',
              stream: 'downstream',
              attributes: { latency: 100 },
            }),
          )
          .then(() => undefined);
      }
    };
    try {
      await run(pingScenario(20, '18s'), [listener], 'latency');
    } finally {
      await switching;
      await toxiproxy.removeToxic('users-lb', 'lat').catch(() => undefined);
    }
    const base = median(p50ByPhase.base);
    expect(p50ByPhase.upstream.length).toBeGreaterThanOrEqual(3);
    expect(p50ByPhase.downstream.length).toBeGreaterThanOrEqual(3);
    expect(median(p50ByPhase.upstream) - base).toBeGreaterThanOrEqual(95);
    expect(median(p50ByPhase.upstream) - base).toBeLessThanOrEqual(105);
    expect(median(p50ByPhase.downstream) - base).toBeGreaterThanOrEqual(95);
    expect(median(p50ByPhase.downstream) - base).toBeLessThanOrEqual(105);
  });

  it('a 2 s freeze of every app node during a 200/s open-model run shows in the p99 (no coordinated omission)', async () => {
    const apps = stack.document.appNodes.map((n) => stack.component(n.name));
    let frozen = false;
    let freezing: Promise<unknown> = Promise.resolve();
    const listener = (tick: Tick) => {
      if (!frozen && tick.elapsedMs >= 3_000) {
        frozen = true;
        freezing = Promise.all(apps.map((a) => a.freeze()))
          .then(() => new Promise((r) => setTimeout(r, 2_000)))
          .then(() => Promise.all(apps.map((a) => a.thaw())));
      }
    };
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run(pingScenario(200, '8s'), [listener], 'freeze');
    } finally {
      await freezing;
    }
    const action = result.summary.metrics.mm_action_duration;
    const http = result.summary.metrics.http_req_duration;
    expect(action?.type === 'trend' && action.p99).toBeGreaterThanOrEqual(1_500);
    expect(http?.type === 'trend' && http.p99).toBeGreaterThanOrEqual(1_500);
    const dropped = result.summary.metrics.dropped_iterations;
    expect(dropped?.type === 'counter' ? dropped.count : 0).toBe(0);
    const iterations = result.summary.metrics.iterations;
    expect(iterations?.type === 'counter' && iterations.count).toBeGreaterThanOrEqual(1_550);
  });
});
