import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { TrendSink } from '../../../src/metrics/sinks.js';
import {
  DEFAULT_FAULT_CRITERIA,
  parseShare,
  resolveFaultCriteria,
} from '../../../src/verdict/fault-criteria.js';
import {
  maxOf,
  percentileOf,
  sketchOfSamples,
  sketchOfTrend,
} from '../../../src/verdict/fault-latency-sketch.js';
import { observeInterval, PerSecondObserver } from '../../../src/verdict/fault-observations.js';

/** A reproducible stream of numbers in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('latency sketches', () => {
  test('a single second keeps its kept percentiles exactly (within the HDR histogram’s 0.1 %)', () => {
    const sink = new TrendSink();
    const random = lcg(1);
    const values = Array.from({ length: 1000 }, () => 5 + random() * 200);
    for (const v of values) sink.add(v);
    const sketch = sketchOfTrend(sink)!;
    expect(sketch.count).toBe(1000);
    expect(percentileOf([sketch], 99)).toBeCloseTo(sink.percentile(99), 6);
    expect(maxOf([sketch])).toBe(sink.max);
    expect(sketchOfTrend(new TrendSink())).toBeNull();
    expect(sketchOfTrend(undefined)).toBeNull();
  });

  test('percentiles over many seconds stay within a few percent of the exact ones', () => {
    const random = lcg(7);
    const all: number[] = [];
    const sketches = Array.from({ length: 300 }, (_, second) => {
      // Mostly fast seconds, a slow patch in the middle (a fault), varying traffic.
      const slow = second >= 140 && second < 160;
      const n = 20 + Math.floor(random() * 200);
      const values = Array.from({ length: n }, () =>
        slow ? 200 + random() * 2000 : 2 + random() * 30 + (random() < 0.01 ? 300 : 0),
      );
      all.push(...values);
      const sink = new TrendSink();
      for (const v of values) sink.add(v);
      return sketchOfTrend(sink);
    });
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = exactPercentile(all, p);
      const estimate = percentileOf(sketches, p)!;
      expect(Math.abs(estimate - exact) / exact, `p${p}: ${estimate} vs ${exact}`).toBeLessThan(0.05);
    }
    expect(maxOf(sketches)).toBeCloseTo(Math.max(...all), 1);
  });

  test('repeated values: a second where every request took 10 ms has every percentile at 10 ms', () => {
    const flat = sketchOfSamples(Array.from({ length: 50 }, () => 10));
    const other = sketchOfSamples(Array.from({ length: 50 }, () => 20));
    expect(percentileOf([flat], 37)).toBe(10);
    expect(percentileOf([flat, other], 25)).toBe(10);
    expect(percentileOf([flat, other], 99)).toBe(20);
    expect(percentileOf([null, null], 99)).toBeNull();
  });
});

describe('per-second observations', () => {
  test('an interval snapshot gives requests, errors, p99 and WebSocket reconnects', () => {
    let now = 1_000_000;
    const registry = new MetricsRegistry({ clock: () => now, startedAt: now });
    registry.takeInterval();
    const failed = registry.rate(METRIC.httpReqFailed);
    const duration = registry.trend(METRIC.httpReqDuration);
    for (let i = 1; i <= 200; i++) {
      failed.add(i % 40 === 0, { action: 'create_post' });
      duration.add(i, { action: 'create_post' });
    }
    registry.counter(METRIC.wsReconnects).add(2, { kind: 'resumed' });
    registry.trend(METRIC.wsReconnectTime).add(350, { kind: 'resumed' });
    registry.trend(METRIC.wsReconnectTime).add(1200, { kind: 'new_hello' });
    now += 1000;
    const second = observeInterval(registry.takeInterval());
    expect(second).toMatchObject({
      startedAt: 1_000_000,
      endedAt: 1_001_000,
      requests: 200,
      errors: 5,
      errorRate: 0.025,
      wsReconnects: 2,
    });
    expect(second.p99Ms).toBeCloseTo(198, 0);
    expect(maxOf([second.wsReconnectTime])).toBe(1200);

    now += 1000;
    const quiet = observeInterval(registry.takeInterval());
    expect(quiet).toMatchObject({ requests: 0, errors: 0, errorRate: null, p99Ms: null, latency: null });
  });

  test('the observer keeps one entry per tick, and skips an empty closing interval', () => {
    let now = 0;
    const registry = new MetricsRegistry({ clock: () => now, startedAt: now });
    const observer = new PerSecondObserver();
    for (let s = 1; s <= 3; s++) {
      registry.rate(METRIC.httpReqFailed).add(false);
      now = s * 1000;
      observer.listener({ interval: registry.takeInterval(), elapsedMs: now, final: false });
    }
    observer.listener({ interval: registry.takeInterval(), elapsedMs: now, final: true });
    expect(observer.observations().map((o) => [o.startedAt, o.endedAt, o.requests])).toEqual([
      [0, 1000, 1],
      [1000, 2000, 1],
      [2000, 3000, 1],
    ]);
  });
});

describe('fault criteria', () => {
  test('defaults, and a drill file’s values with units', () => {
    expect(resolveFaultCriteria()).toEqual(DEFAULT_FAULT_CRITERIA);
    expect(
      resolveFaultCriteria({
        errorRate: '0.5%',
        p99Factor: 3,
        p99Floor: '100ms',
        sustain: '5s',
        maxRecovery: '2m',
        errorBudget: { failedRequests: 500, share: 0.1 },
        warmUp: '30s',
      }),
    ).toEqual({
      errorRate: 0.005,
      latencyFactor: 3,
      latencyFloorMs: 100,
      sustainMs: 5000,
      maxRecoveryMs: 120_000,
      errorBudget: { failedRequests: 500, share: 0.1 },
      warmUpMs: 30_000,
    });
  });

  test('shares', () => {
    expect(parseShare('1%')).toBe(0.01);
    expect(parseShare(0.25)).toBe(0.25);
    expect(() => parseShare('150%')).toThrow(/invalid share "150%"/);
    expect(() => parseShare('1 percent')).toThrow(RangeError);
  });
});
