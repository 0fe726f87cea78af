import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  ConstantArrivalRate,
  type ConstantArrivalRateConfig,
} from '../../../src/load/executors/constant-arrival-rate.js';
import { METRIC } from '../../../src/metrics/api.js';
import { context, hang, TestBehaviour, timed, work } from './executors-support.js';

const config = (overrides: Partial<ConstantArrivalRateConfig>): ConstantArrivalRateConfig => ({
  rate: 100,
  timeUnitMs: 1000,
  durationMs: 1000,
  preAllocatedVUs: 10,
  maxVUs: 10,
  gracefulStopMs: 1000,
  startTimeMs: 0,
  ...overrides,
});

describe('constant-arrival-rate', () => {
  it('starts rate × duration iterations on schedule: 100/s for 2 s → 200', async () => {
    const behaviour = new TestBehaviour();
    const { ctx, metrics } = context(behaviour);
    const executor = new ConstantArrivalRate(config({ durationMs: 2000 }));
    const took = await timed(() => executor.run(ctx));

    expect(metrics.count(METRIC.iterations)).toBeGreaterThanOrEqual(198);
    expect(metrics.count(METRIC.iterations)).toBeLessThanOrEqual(202);
    expect(metrics.count(METRIC.droppedIterations)).toBe(0);
    const first = behaviour.started[0]!.intendedStart;
    behaviour.started.forEach((it, i) => {
      expect(it.openModel).toBe(true);
      expect(it.iteration).toBe(i);
      expect(it.intendedStart - first).toBeCloseTo(i * 10, 6);
      expect(it.startedAt).toBeGreaterThanOrEqual(it.intendedStart);
    });
    // Started on time: the median lateness is a timer's resolution, not a period.
    const lateness = behaviour.started.map((it) => it.startedAt - it.intendedStart).sort((a, b) => a - b);
    expect(lateness[Math.floor(lateness.length / 2)]).toBeLessThan(5);
    expect(took).toBeGreaterThanOrEqual(1990);
    expect(took).toBeLessThan(2500);
    expect(executor.maxDurationMs()).toBe(3000);
  });

  it('drops iterations when every VU is busy and maxVUs is reached', async () => {
    const behaviour = new TestBehaviour(work(95));
    const { ctx, metrics } = context(behaviour);
    await new ConstantArrivalRate(config({ preAllocatedVUs: 2, maxVUs: 2 })).run(ctx);

    // Two VUs, ~100 ms each: about 20 of the 100 due iterations run, the rest are dropped.
    const iterations = metrics.count(METRIC.iterations);
    expect(iterations).toBeGreaterThanOrEqual(14);
    expect(iterations).toBeLessThanOrEqual(24);
    expect(iterations + metrics.count(METRIC.droppedIterations)).toBe(100);
    expect(new Set(behaviour.started.map((it) => it.vu))).toEqual(new Set([0, 1]));
  });

  it('initialises VUs beyond preAllocatedVUs on demand, counted in vus_max', async () => {
    const behaviour = new TestBehaviour(work(50), () => new Promise((resolve) => setTimeout(resolve, 5)));
    const { ctx, metrics } = context(behaviour);
    await new ConstantArrivalRate(config({ preAllocatedVUs: 1, maxVUs: 20 })).run(ctx);

    // 100/s × 50 ms ≈ 5 VUs busy at once: more than the one preallocated, far from maxVUs.
    expect(metrics.count(METRIC.iterations)).toBe(100);
    expect(metrics.count(METRIC.droppedIterations)).toBe(0);
    const vusMax = metrics.gaugeHistory(METRIC.vusMax);
    expect(vusMax[0]).toBe(1);
    expect(vusMax.at(-1)).toBeGreaterThanOrEqual(5);
    expect(vusMax.at(-1)).toBeLessThanOrEqual(15);
    expect(behaviour.initialised).toHaveLength(vusMax.at(-1)!);
    // The open model's `vus` is every initialised VU (k6); back to 0 at the end.
    expect(Math.max(...metrics.gaugeHistory(METRIC.vus))).toBe(vusMax.at(-1));
    expect(metrics.gaugeHistory(METRIC.vus).at(-1)).toBe(0);
    // An iteration that waited for its VU keeps its scheduled start: the wait is in its duration.
    const waited = behaviour.started.filter((it) => it.startedAt - it.intendedStart > 3);
    expect(waited.length).toBeGreaterThan(0);
  });

  it('keeps each late iteration’s scheduled start when the event loop stalls (no coordinated omission)', async () => {
    const behaviour = new TestBehaviour();
    const { ctx, metrics } = context(behaviour);
    setTimeout(() => {
      const until = performance.now() + 200;
      while (performance.now() < until) {
        // the harness is stuck for 200 ms
      }
    }, 300);
    await new ConstantArrivalRate(config({ durationMs: 1000, preAllocatedVUs: 50, maxVUs: 50 })).run(ctx);

    expect(metrics.count(METRIC.iterations)).toBe(100);
    // About 20 iterations came due during the stall; all started in one tick afterwards.
    const late = behaviour.started.filter((it) => it.startedAt - it.intendedStart > 50);
    expect(late.length).toBeGreaterThanOrEqual(15);
    expect(Math.max(...metrics.values(METRIC.iterationDuration))).toBeGreaterThan(150);
  });

  it('gives running iterations gracefulStop, then aborts and does not count them', async () => {
    const behaviour = new TestBehaviour(hang());
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() =>
      new ConstantArrivalRate(config({ rate: 10, durationMs: 500, gracefulStopMs: 300 })).run(ctx),
    );

    expect(behaviour.started).toHaveLength(5);
    expect(behaviour.started.every((it) => it.cut)).toBe(true);
    expect(metrics.count(METRIC.iterations)).toBe(0);
    expect(took).toBeGreaterThanOrEqual(790);
    expect(took).toBeLessThan(1100);
  });

  it('ends early when every iteration finished within gracefulStop', async () => {
    const behaviour = new TestBehaviour(work(200));
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() =>
      new ConstantArrivalRate(config({ rate: 10, durationMs: 500, gracefulStopMs: 5000 })).run(ctx),
    );
    expect(metrics.count(METRIC.iterations)).toBe(5);
    expect(took).toBeLessThan(1000);
  });

  it('stops promptly when the run is aborted', async () => {
    const controller = new AbortController();
    const behaviour = new TestBehaviour(hang());
    const { ctx } = context(behaviour, controller.signal);
    setTimeout(() => controller.abort(), 300);
    const took = await timed(() => new ConstantArrivalRate(config({ durationMs: 10_000 })).run(ctx));

    expect(took).toBeLessThan(500);
    expect(behaviour.started.length).toBeLessThanOrEqual(11);
    expect(behaviour.started.every((it) => it.cut)).toBe(true);
  });

  it('waits startTime before the first iteration', async () => {
    const behaviour = new TestBehaviour();
    const { ctx } = context(behaviour);
    const calledAt = performance.now();
    await new ConstantArrivalRate(config({ rate: 10, durationMs: 200, startTimeMs: 300 })).run(ctx);
    expect(behaviour.started[0]!.intendedStart - calledAt).toBeGreaterThanOrEqual(299);
  });
});
