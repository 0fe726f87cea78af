import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConstantArrivalRate } from '../../src/load/executors/constant-arrival-rate.js';
import { RampingArrivalRate } from '../../src/load/executors/ramping-arrival-rate.js';
import { METRIC } from '../../src/metrics/api.js';
import { context, TestBehaviour } from '../unit/load/executors-support.js';

// Real-time accuracy of the open-model scheduler, with margins that hold on a busy 2-core
// machine (the benchmark measures the tight figure: bench/engine.ts, arrival-accuracy).

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

describe('open-model accuracy in real time', () => {
  it('constant-arrival-rate 500/s for 3 s: achieved rate within 2 %, starts on time', async () => {
    const behaviour = new TestBehaviour();
    const { ctx, metrics } = context(behaviour);
    await new ConstantArrivalRate({
      rate: 500,
      timeUnitMs: 1000,
      durationMs: 3000,
      preAllocatedVUs: 50,
      maxVUs: 50,
      gracefulStopMs: 1000,
      startTimeMs: 0,
    }).run(ctx);

    const origin = behaviour.started[0]!.intendedStart;
    // Iterations that really started inside the 3-second window, by the clock.
    const inWindow = behaviour.started.filter((it) => it.startedAt - origin < 3000).length;
    expect(Math.abs(inWindow / 3 - 500) / 500).toBeLessThan(0.02);
    expect(metrics.count(METRIC.iterations)).toBe(1500);
    expect(metrics.count(METRIC.droppedIterations)).toBe(0);
    const lateness = behaviour.started.map((it) => it.startedAt - it.intendedStart);
    expect(quantile(lateness, 0.5)).toBeLessThan(3);
    expect(quantile(lateness, 0.99)).toBeLessThan(30);
  });

  it('ramping-arrival-rate 0 → 600/s over 2 s then 1 s at 600/s: each half second on the integral', async () => {
    const behaviour = new TestBehaviour();
    const { ctx, metrics } = context(behaviour);
    const origin = performance.now();
    await new RampingArrivalRate({
      startRate: 0,
      timeUnitMs: 1000,
      stages: [
        { durationMs: 2000, target: 600 },
        { durationMs: 1000, target: 600 },
      ],
      preAllocatedVUs: 50,
      maxVUs: 50,
      gracefulStopMs: 1000,
      startTimeMs: 0,
    }).run(ctx);

    expect(metrics.count(METRIC.iterations)).toBe(600 + 600);
    // The rate's integral over each half second: 37.5, 112.5, 187.5, 262.5, 300, 300.
    const expected = [37.5, 112.5, 187.5, 262.5, 300, 300];
    expected.forEach((count, i) => {
      const actual = behaviour.started.filter((it) => {
        const t = it.startedAt - origin;
        return t >= i * 500 && t < (i + 1) * 500;
      }).length;
      expect(Math.abs(actual - count)).toBeLessThanOrEqual(Math.max(4, count * 0.05));
    });
  });

  describe('against an HTTP server that stalls', () => {
    let server: Server;
    let url: string;
    let stalledUntil = 0;

    beforeAll(async () => {
      server = createServer((_request, response) => {
        const wait = Math.max(0, stalledUntil - performance.now());
        setTimeout(() => response.end('ok'), wait);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('counts the stall in the latency of every iteration due during it (no coordinated omission)', async () => {
      const behaviour = new TestBehaviour(async (_iteration, signal) => {
        const response = await fetch(url, { signal });
        await response.text();
      });
      const { ctx, metrics } = context(behaviour);
      // 100/s for 3 s with only 5 VUs; the server answers nothing from 1.0 s to 2.0 s.
      setTimeout(() => {
        stalledUntil = performance.now() + 1000;
      }, 1000);
      await new ConstantArrivalRate({
        rate: 100,
        timeUnitMs: 1000,
        durationMs: 3000,
        preAllocatedVUs: 5,
        maxVUs: 200,
        gracefulStopMs: 2000,
        startTimeMs: 0,
      }).run(ctx);

      // Iterations due during the stall waited for a VU; their duration runs from their schedule.
      const durations = metrics.values(METRIC.iterationDuration);
      expect(metrics.count(METRIC.droppedIterations)).toBe(0);
      expect(durations).toHaveLength(300);
      expect(quantile(durations, 0.99)).toBeGreaterThan(900);
      // About a third of the iterations were due in the stalled second and all waited.
      expect(durations.filter((d) => d > 100).length).toBeGreaterThanOrEqual(80);
    });
  });
});
