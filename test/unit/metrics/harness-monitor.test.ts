import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { HarnessMonitor, judgeSaturation } from '../../../src/metrics/harness-monitor.js';
import { Heartbeat, type Tick } from '../../../src/metrics/heartbeat.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // burn CPU on purpose: the harness must notice its own stall
  }
}

describe('judgeSaturation', () => {
  test('event-loop delay p99 over the bound (100 ms by default)', () => {
    expect(judgeSaturation({ eventLoopDelayP99Ms: 100, cpuSamples: [] })).toEqual({ saturated: false });
    expect(judgeSaturation({ eventLoopDelayP99Ms: 100.5, cpuSamples: [] })).toEqual({
      saturated: true,
      reason: 'event-loop delay p99 100.5 ms > 100 ms bound',
    });
    expect(
      judgeSaturation({ eventLoopDelayP99Ms: 30, cpuSamples: [] }, { eventLoopDelayBoundMs: 20 }).saturated,
    ).toBe(true);
  });

  test('CPU ≥ 0.95 of a core in more than half of the seconds, given at least 5 samples', () => {
    const hot = [0.97, 0.99, 1.2, 0.5, 0.96, 0.4];
    expect(judgeSaturation({ eventLoopDelayP99Ms: 1, cpuSamples: hot })).toEqual({
      saturated: true,
      reason: 'CPU ≥ 95 % of one core in 4 of 6 s',
    });
    // exactly half is not most
    expect(judgeSaturation({ eventLoopDelayP99Ms: 1, cpuSamples: [1, 1, 1, 0.1, 0.1, 0.1] }).saturated).toBe(
      false,
    );
    // too short to tell
    expect(judgeSaturation({ eventLoopDelayP99Ms: 1, cpuSamples: [1, 1, 1, 1] }).saturated).toBe(false);
  });
});

describe('HarnessMonitor', () => {
  test('records per-second samples and reports the run', async () => {
    const registry = new MetricsRegistry();
    const monitor = new HarnessMonitor(registry, { eventLoopDelayBoundMs: 50 });
    monitor.start();
    await sleep(300);
    const idle = monitor.sample();
    expect(idle.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
    expect(idle.eventLoopDelayP99Ms).toBeLessThan(50);
    expect(idle.cpu).toBeGreaterThanOrEqual(0);
    // Block the loop: one 400 ms stall among few 10 ms ticks dominates the p99.
    busy(400);
    await sleep(50);
    const stalled = monitor.sample();
    expect(stalled.eventLoopDelayP99Ms).toBeGreaterThan(300);
    // A busy loop shows as CPU (loosely: the machine may be shared with other work).
    expect(stalled.cpu).toBeGreaterThan(0.1);
    const report = monitor.report();
    monitor.stop();
    expect(report.eventLoopDelayMaxMs).toBeGreaterThan(300);
    expect(report.saturated).toBe(true);
    expect(report.reason).toMatch(/^event-loop delay p99 \d+\.\d ms > 50 ms bound$/);
    const snap = registry.snapshot();
    expect(snap[METRIC.harnessEventLoopDelay]).toMatchObject({ type: 'trend', count: 2 });
    expect(snap[METRIC.harnessCpu]).toMatchObject({ type: 'gauge' });
  });
});

describe('Heartbeat', () => {
  test('ticks on schedule with fresh intervals, then a final partial one', async () => {
    const registry = new MetricsRegistry();
    const ticks: Tick[] = [];
    const errors: unknown[] = [];
    const heartbeat = new Heartbeat({
      registry,
      monitor: new HarnessMonitor(registry),
      intervalMs: 50,
      onError: (e) => errors.push(e),
    });
    heartbeat
      .on((tick) => {
        ticks.push(tick);
        registry.counter(METRIC.httpReqs).add(1);
      })
      .on(() => {
        throw new Error('a broken listener does not stop the others');
      });
    heartbeat.start();
    await sleep(180);
    heartbeat.stop();
    heartbeat.stop();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.at(-1)!.final).toBe(true);
    expect(ticks.slice(0, -1).every((t) => !t.final)).toBe(true);
    // each interval after the first saw the one request recorded by the previous tick
    expect(ticks[1]!.interval.snapshot(METRIC.httpReqs)).toMatchObject({ count: 1 });
    expect(ticks[0]!.interval.snapshot(METRIC.harnessCpu)).toMatchObject({ type: 'gauge' });
    expect(ticks[1]!.elapsedMs).toBeGreaterThanOrEqual(95);
    expect(errors).toHaveLength(ticks.length);
  });
});
