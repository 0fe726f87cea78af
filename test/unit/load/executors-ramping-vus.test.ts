import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RampingVus, type RampingVusConfig } from '../../../src/load/executors/ramping-vus.js';
import type { Iteration } from '../../../src/load/types.js';
import { METRIC } from '../../../src/metrics/api.js';
import { context, hang, TestBehaviour, timed, work } from './executors-support.js';

const config = (overrides: Partial<RampingVusConfig>): RampingVusConfig => ({
  startVUs: 0,
  stages: [],
  gracefulRampDownMs: 1000,
  gracefulStopMs: 1000,
  startTimeMs: 0,
  ...overrides,
});

/** VUs that started an iteration within [fromMs, toMs) of the first call. */
function vusBetween(behaviour: TestBehaviour, origin: number, fromMs: number, toMs: number): Set<number> {
  return new Set(
    behaviour.started
      .filter((it) => it.startedAt - origin >= fromMs && it.startedAt - origin < toMs)
      .map((it) => it.vu),
  );
}

describe('ramping-vus', () => {
  it('follows the stages: ramp up, hold, ramp down', async () => {
    const behaviour = new TestBehaviour(work(10));
    const { ctx, metrics } = context(behaviour);
    const origin = performance.now();
    const executor = new RampingVus(
      config({
        stages: [
          { durationMs: 800, target: 4 },
          { durationMs: 400, target: 4 },
          { durationMs: 800, target: 0 },
        ],
        gracefulRampDownMs: 0,
      }),
    );
    await executor.run(ctx);

    // k6's steps: VU k (from 1) joins at 200·k ms; from 1200 ms one leaves every 200 ms, highest id first.
    expect(behaviour.initialised.sort()).toEqual([0, 1, 2, 3]);
    expect(vusBetween(behaviour, origin, 0, 190).size).toBe(0);
    expect(vusBetween(behaviour, origin, 230, 390)).toEqual(new Set([0]));
    expect(vusBetween(behaviour, origin, 430, 590)).toEqual(new Set([0, 1]));
    expect(vusBetween(behaviour, origin, 850, 1190)).toEqual(new Set([0, 1, 2, 3]));
    expect(vusBetween(behaviour, origin, 1450, 1590)).toEqual(new Set([0, 1, 2]));
    expect(vusBetween(behaviour, origin, 1650, 1790)).toEqual(new Set([0, 1]));
    expect(vusBetween(behaviour, origin, 2030, 2100).size).toBe(0);
    expect(metrics.gaugeHistory(METRIC.vus)).toEqual([0, 1, 2, 3, 4, 3, 2, 1, 0, 0]);
    expect(executor.maxDurationMs()).toBe(3000);
  });

  it('iterations per second follow the VU ramp', async () => {
    const behaviour = new TestBehaviour(work(20));
    const { ctx } = context(behaviour);
    const origin = performance.now();
    await new RampingVus(config({ startVUs: 1, stages: [{ durationMs: 1500, target: 6 }] })).run(ctx);

    const inWindow = (from: number, to: number) =>
      behaviour.started.filter((it) => it.startedAt - origin >= from && it.startedAt - origin < to).length;
    // ~1.5 VUs average in the first half second, ~5.5 in the last: the rate grows with them.
    const early = inWindow(0, 500);
    const late = inWindow(1000, 1500);
    expect(late).toBeGreaterThan(early * 2.5);
  });

  it('lets a VU taken out by a ramp-down finish within gracefulRampDown, then cuts it', async () => {
    const behaviour = new TestBehaviour((iteration: Iteration, signal: AbortSignal) =>
      iteration.vu === 1 ? hang()(iteration, signal) : work(10)(iteration, signal),
    );
    const { ctx, metrics } = context(behaviour);
    const origin = performance.now();
    const took = await timed(() =>
      new RampingVus(
        config({
          startVUs: 2,
          stages: [
            { durationMs: 100, target: 1 },
            { durationMs: 900, target: 1 },
          ],
          gracefulRampDownMs: 200,
        }),
      ).run(ctx),
    );
    const vu1 = behaviour.started.filter((it) => it.vu === 1);
    expect(vu1).toHaveLength(1);
    // VU 1 leaves at 100 ms, its iteration is cut 200 ms later; VU 0 loops on to the end.
    expect(vu1[0]!.cut).toBe(true);
    expect(vu1[0]!.endedAt! - origin).toBeGreaterThanOrEqual(295);
    expect(vu1[0]!.endedAt! - origin).toBeLessThan(400);
    const vu0 = behaviour.started.filter((it) => it.vu === 0);
    expect(vu0.at(-1)!.startedAt - origin).toBeGreaterThan(950);
    expect(metrics.count(METRIC.iterations)).toBe(vu0.length);
    expect(took).toBeLessThan(1100);
  });

  it('takes back a VU still finishing its ramp-down instead of needing another', async () => {
    const behaviour = new TestBehaviour(work(150));
    const { ctx, metrics } = context(behaviour);
    await new RampingVus(
      config({
        startVUs: 2,
        stages: [
          { durationMs: 0, target: 1 },
          { durationMs: 50, target: 1 },
          { durationMs: 0, target: 2 },
          { durationMs: 300, target: 2 },
        ],
      }),
    ).run(ctx);
    expect(behaviour.initialised.sort()).toEqual([0, 1]);
    // VU 1 was never cut: every one of its iterations ran to the end and counted.
    expect(behaviour.started.filter((it) => it.vu === 1).every((it) => it.cut === false)).toBe(true);
    expect(metrics.count(METRIC.iterations)).toBe(behaviour.started.length);
    expect(behaviour.started.filter((it) => it.vu === 1).length).toBeGreaterThanOrEqual(2);
  });

  it('stops promptly when the run is aborted', async () => {
    const controller = new AbortController();
    const behaviour = new TestBehaviour(hang());
    const { ctx } = context(behaviour, controller.signal);
    setTimeout(() => controller.abort(), 200);
    const took = await timed(() =>
      new RampingVus(config({ startVUs: 3, stages: [{ durationMs: 10_000, target: 3 }] })).run(ctx),
    );
    expect(took).toBeLessThan(350);
    expect(behaviour.started.every((it) => it.cut)).toBe(true);
  });
});
