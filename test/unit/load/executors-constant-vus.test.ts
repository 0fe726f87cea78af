import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ConstantVus, type ConstantVusConfig } from '../../../src/load/executors/constant-vus.js';
import { METRIC } from '../../../src/metrics/api.js';
import { context, hang, TestBehaviour, timed, work } from './executors-support.js';

const config = (overrides: Partial<ConstantVusConfig>): ConstantVusConfig => ({
  vus: 5,
  durationMs: 1000,
  gracefulStopMs: 1000,
  startTimeMs: 0,
  ...overrides,
});

describe('constant-vus', () => {
  it('keeps `vus` VUs looping back to back for the duration', async () => {
    const behaviour = new TestBehaviour(work(10));
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() => new ConstantVus(config({})).run(ctx));

    expect(behaviour.initialised.sort()).toEqual([0, 1, 2, 3, 4]);
    // 5 VUs × ~1000 ms / ≥ 10 ms per iteration (more on a busy machine).
    const iterations = metrics.count(METRIC.iterations);
    expect(iterations).toBeGreaterThanOrEqual(250);
    expect(iterations).toBeLessThanOrEqual(505);
    for (let vu = 0; vu < 5; vu++) {
      const mine = behaviour.started.filter((it) => it.vu === vu);
      expect(mine.length).toBeGreaterThanOrEqual(50);
      // Closed model: intendedStart is the actual start, and each iteration starts as soon as
      // the previous one of the same VU ended.
      expect(mine.every((it) => !it.openModel && Math.abs(it.intendedStart - it.startedAt) < 1)).toBe(true);
      const gaps = mine.slice(1).map((it, i) => it.startedAt - (mine[i]!.endedAt as number));
      gaps.sort((a, b) => a - b);
      expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(1);
    }
    expect(metrics.gaugeHistory(METRIC.vus)).toEqual([5, 0]);
    expect(metrics.gaugeHistory(METRIC.vusMax).at(-1)).toBe(5);
    expect(took).toBeLessThan(1200);
  });

  it('lets timers run even when iterations never leave the microtask queue', async () => {
    const behaviour = new TestBehaviour(async () => undefined);
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() => new ConstantVus(config({ vus: 3, durationMs: 300 })).run(ctx));
    expect(took).toBeLessThan(400);
    expect(metrics.count(METRIC.iterations)).toBeGreaterThan(1000);
  });

  it('lets the last iterations finish within gracefulStop and counts them', async () => {
    const behaviour = new TestBehaviour(work(300));
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() => new ConstantVus(config({ vus: 2, durationMs: 200 })).run(ctx));
    expect(metrics.count(METRIC.iterations)).toBe(2);
    expect(took).toBeGreaterThanOrEqual(295);
    expect(took).toBeLessThan(450);
  });

  it('cuts a hanging iteration after gracefulStop and does not count it', async () => {
    const behaviour = new TestBehaviour(hang());
    const { ctx, metrics } = context(behaviour);
    const took = await timed(() =>
      new ConstantVus(config({ vus: 2, durationMs: 200, gracefulStopMs: 300 })).run(ctx),
    );
    expect(behaviour.started).toHaveLength(2);
    expect(behaviour.started.every((it) => it.cut)).toBe(true);
    expect(metrics.count(METRIC.iterations)).toBe(0);
    expect(took).toBeGreaterThanOrEqual(495);
    expect(took).toBeLessThan(650);
  });

  it('does not wait forever for an iteration that ignores its signal', async () => {
    const behaviour = new TestBehaviour(() => new Promise<void>(() => undefined));
    const { ctx } = context(behaviour);
    const took = await timed(() =>
      new ConstantVus(config({ vus: 1, durationMs: 100, gracefulStopMs: 100 })).run(ctx),
    );
    // gracefulStop, then at most ABANDON_AFTER_MS (1 s) for the behaviour to notice.
    expect(took).toBeGreaterThanOrEqual(1190);
    expect(took).toBeLessThan(1400);
  });

  it('counts a failed iteration as an iteration and reports the error', async () => {
    const errors: unknown[] = [];
    const behaviour = new TestBehaviour(async () => {
      await sleep(20);
      throw new Error('boom');
    });
    const { ctx, metrics } = context(behaviour);
    await new ConstantVus(config({ vus: 1, durationMs: 100 }), {
      onIterationError: (error) => errors.push(error),
    }).run(ctx);
    expect(metrics.count(METRIC.iterations)).toBeGreaterThanOrEqual(4);
    expect(errors).toHaveLength(metrics.count(METRIC.iterations));
  });

  it('fails the run when a VU cannot be initialised', async () => {
    const behaviour = new TestBehaviour(work(1), async (vu) => {
      if (vu === 3) throw new Error('login refused');
    });
    const { ctx } = context(behaviour);
    await expect(new ConstantVus(config({})).run(ctx)).rejects.toThrow(
      'scenario test: a VU failed to initialise: login refused',
    );
    expect(behaviour.started).toHaveLength(0);
  });

  it('initialises VUs in prepare() so that run() starts its clock at once', async () => {
    const behaviour = new TestBehaviour(work(5), () => new Promise((resolve) => setTimeout(resolve, 200)));
    const { ctx } = context(behaviour);
    const executor = new ConstantVus(config({ vus: 3, durationMs: 100 }));
    await executor.prepare(ctx);
    expect(behaviour.initialised).toHaveLength(3);
    const took = await timed(() => executor.run(ctx));
    expect(took).toBeLessThan(180);
    await expect(executor.run(ctx)).rejects.toThrow('already run');
  });

  it('stops promptly when the run is aborted, even during initialisation', async () => {
    const controller = new AbortController();
    const behaviour = new TestBehaviour(
      hang(),
      (_vu, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    const { ctx } = context(behaviour, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const took = await timed(() => new ConstantVus(config({ durationMs: 10_000 })).run(ctx));
    expect(took).toBeLessThan(250);
    expect(behaviour.started).toHaveLength(0);
  });
});
