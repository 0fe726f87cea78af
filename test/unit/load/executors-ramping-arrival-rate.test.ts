import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  RampingArrivalRate,
  type RampingArrivalRateConfig,
} from '../../../src/load/executors/ramping-arrival-rate.js';
import { METRIC } from '../../../src/metrics/api.js';
import { context, hang, TestBehaviour, timed, work } from './executors-support.js';

const config = (overrides: Partial<RampingArrivalRateConfig>): RampingArrivalRateConfig => ({
  startRate: 0,
  timeUnitMs: 1000,
  stages: [],
  preAllocatedVUs: 20,
  maxVUs: 20,
  gracefulStopMs: 1000,
  startTimeMs: 0,
  ...overrides,
});

describe('ramping-arrival-rate', () => {
  it('starts iterations along the integral of the rate: up, hold, down', async () => {
    const behaviour = new TestBehaviour();
    const { ctx, metrics } = context(behaviour);
    const origin = performance.now();
    const executor = new RampingArrivalRate(
      config({
        stages: [
          { durationMs: 1000, target: 200 },
          { durationMs: 1000, target: 200 },
          { durationMs: 1000, target: 0 },
        ],
      }),
    );
    const took = await timed(() => executor.run(ctx));

    // Areas: 100 + 200 + 100.
    expect(metrics.count(METRIC.iterations)).toBe(400);
    expect(metrics.count(METRIC.droppedIterations)).toBe(0);
    const perSecond = [0, 1, 2].map(
      (s) =>
        behaviour.started.filter((it) => {
          const t = it.intendedStart - origin;
          return t > s * 1000 && t <= (s + 1) * 1000 + 1;
        }).length,
    );
    expect(perSecond[0]).toBeGreaterThanOrEqual(98);
    expect(perSecond[0]).toBeLessThanOrEqual(102);
    expect(perSecond[1]).toBeGreaterThanOrEqual(198);
    expect(perSecond[1]).toBeLessThanOrEqual(202);
    expect(perSecond[2]).toBeGreaterThanOrEqual(98);
    expect(perSecond[2]).toBeLessThanOrEqual(102);
    // Within the ramp-up, the second half holds three times the first half's iterations.
    const firstQuarter = behaviour.started.filter((it) => it.intendedStart - origin <= 500).length;
    expect(firstQuarter).toBeGreaterThanOrEqual(23);
    expect(firstQuarter).toBeLessThanOrEqual(27);
    expect(took).toBeLessThan(3400);
    expect(executor.maxDurationMs()).toBe(4000);
  });

  it('drops iterations once maxVUs are busy and counts them', async () => {
    const behaviour = new TestBehaviour(work(200));
    const { ctx, metrics } = context(behaviour);
    await new RampingArrivalRate(
      config({ startRate: 100, stages: [{ durationMs: 1000, target: 100 }], preAllocatedVUs: 2, maxVUs: 5 }),
    ).run(ctx);
    // Five VUs of ~200 ms: ~25 of 100 run.
    const iterations = metrics.count(METRIC.iterations);
    expect(iterations).toBeGreaterThanOrEqual(18);
    expect(iterations).toBeLessThanOrEqual(30);
    expect(iterations + metrics.count(METRIC.droppedIterations)).toBe(100);
    expect(behaviour.initialised.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('cuts hanging iterations after gracefulStop', async () => {
    const behaviour = new TestBehaviour(hang());
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() =>
      new RampingArrivalRate(
        config({ startRate: 10, stages: [{ durationMs: 500, target: 10 }], gracefulStopMs: 200 }),
      ).run(ctx),
    );
    expect(behaviour.started).toHaveLength(5);
    expect(behaviour.started.every((it) => it.cut)).toBe(true);
    expect(metrics.count(METRIC.iterations)).toBe(0);
    expect(took).toBeGreaterThanOrEqual(690);
    expect(took).toBeLessThan(900);
  });

  it('stops promptly when the run is aborted', async () => {
    const controller = new AbortController();
    const behaviour = new TestBehaviour(hang());
    const { ctx } = context(behaviour, controller.signal);
    setTimeout(() => controller.abort(), 200);
    const took = await timed(() =>
      new RampingArrivalRate(config({ startRate: 50, stages: [{ durationMs: 10_000, target: 50 }] })).run(
        ctx,
      ),
    );
    expect(took).toBeLessThan(350);
    expect(behaviour.started.every((it) => it.cut)).toBe(true);
  });
});
