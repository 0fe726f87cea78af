import { describe, expect, it } from 'vitest';
import { harnessSecond, observe } from '../../../src/capacity/observation.js';
import { parsePrometheusText, sumOf } from '../../../src/capacity/prometheus-text.js';
import { METRIC } from '../../../src/metrics/api.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { CRITERION_IDS } from '../../../src/summary/capacity-schema.js';
import {
  describeReading,
  evaluateCriteria,
  type Observation,
  resolveCriteria,
} from '../../../src/verdict/capacity-criteria.js';

const quiet: Observation = {
  'client-5xx': 0,
  'client-timeouts': 0,
  'avg-latency': 40,
  'p99-latency': 300,
  'server-5xx': 0,
  'app-cpu': 0.3,
  'app-memory': 0.2,
};

describe('capacity criteria', () => {
  it("are Mattermost's reference limits by default", () => {
    const byId = Object.fromEntries(resolveCriteria().map((c) => [c.id, c.limit]));
    expect(byId).toEqual({
      'client-5xx': 0.00025,
      'client-timeouts': 0.00025,
      'avg-latency': 100,
      'p99-latency': 2000,
      'server-5xx': 0.00025,
      'app-cpu': 0.85,
      'app-memory': 0.85,
    });
  });

  it('take per-scenario overrides: a new limit, or false to leave one out', () => {
    const criteria = resolveCriteria({ 'p99-latency': 1500, 'app-memory': false });
    expect(criteria.map((c) => c.id)).toEqual(CRITERION_IDS.filter((id) => id !== 'app-memory'));
    expect(criteria.find((c) => c.id === 'p99-latency')?.limit).toBe(1500);
  });

  it('a second under every limit breaches nothing; each value at or over its limit breaches that one only', () => {
    const criteria = resolveCriteria();
    expect(evaluateCriteria(criteria, quiet).filter((r) => r.breached)).toEqual([]);
    const over: Record<string, number> = {
      'client-5xx': 0.00025,
      'client-timeouts': 0.001,
      'avg-latency': 100,
      'p99-latency': 2500,
      'server-5xx': 0.01,
      'app-cpu': 0.9,
      'app-memory': 0.86,
    };
    for (const id of CRITERION_IDS) {
      const breached = evaluateCriteria(criteria, { ...quiet, [id]: over[id] }).filter((r) => r.breached);
      expect(breached.map((r) => r.id)).toEqual([id]);
    }
  });

  it('a criterion with nothing to judge (null) is never a breach', () => {
    const none = Object.fromEntries(CRITERION_IDS.map((id) => [id, null])) as Observation;
    expect(evaluateCriteria(resolveCriteria(), none).some((r) => r.breached)).toBe(false);
  });

  it('describes a reading in its unit', () => {
    expect(describeReading({ id: 'avg-latency', value: 143.2, limit: 100 })).toBe(
      'avg-latency 143 ms ≥ 100 ms',
    );
    expect(describeReading({ id: 'client-5xx', value: 0.0041, limit: 0.00025 })).toBe(
      'client-5xx 0.41 % ≥ 0.025 %',
    );
  });
});

describe("one second's observation", () => {
  it('reads the client side from the interval: 5xx share, average and p99 latency', () => {
    let now = 1_000;
    const registry = new MetricsRegistry({ clock: () => now, startedAt: now });
    const reqs = registry.counter(METRIC.httpReqs);
    const duration = registry.trend(METRIC.httpReqDuration);
    for (let i = 0; i < 99; i++) {
      reqs.add(1, { status: '200' });
      duration.add(50);
    }
    reqs.add(1, { status: '503' });
    duration.add(5_000);
    now += 1_000;
    const o = observe(registry.takeInterval(), { cpu: 0.5, memory: 0.1, server5xx: 0.02, source: 'metrics' });
    expect(o['client-5xx']).toBeCloseTo(0.01, 6);
    expect(o['avg-latency']).toBeCloseTo((99 * 50 + 5_000) / 100, 3);
    expect(o['p99-latency']).toBeGreaterThanOrEqual(50);
    expect(o['app-cpu']).toBe(0.5);
    expect(o['server-5xx']).toBe(0.02);
    // A quiet second has nothing to judge on the client side.
    now += 1_000;
    const empty = observe(registry.takeInterval(), {
      cpu: null,
      memory: null,
      server5xx: null,
      source: 'none',
    });
    expect(empty['avg-latency']).toBeNull();
    expect(empty['client-5xx']).toBeNull();
  });

  it("flags a second in which the harness's event loop stalled or its CPU was pegged", () => {
    let now = 0;
    const registry = new MetricsRegistry({ clock: () => now, startedAt: now });
    registry.trend(METRIC.harnessEventLoopDelay).add(20);
    registry.gauge(METRIC.harnessCpu).set(0.4);
    now += 1000;
    expect(harnessSecond(registry.takeInterval()).saturated).toBe(false);
    registry.trend(METRIC.harnessEventLoopDelay).add(250);
    now += 1000;
    expect(harnessSecond(registry.takeInterval())).toMatchObject({
      saturated: true,
      reason: expect.stringMatching(/event-loop/),
    });
    registry.gauge(METRIC.harnessCpu).set(0.99);
    now += 1000;
    expect(harnessSecond(registry.takeInterval())).toMatchObject({
      saturated: true,
      reason: expect.stringMatching(/CPU/),
    });
  });
});

describe('Prometheus text', () => {
  it("reads the app nodes' samples: process metrics and API answers by status", () => {
    const samples = parsePrometheusText(
      [
        '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
        '# TYPE process_cpu_seconds_total counter',
        'process_cpu_seconds_total{node="app-1"} 12.5',
        'process_resident_memory_bytes{node="app-1"} 104857600',
        'mattermost_api_time_count{handler="getPosts",method="GET",status_code="200",node="app-1"} 90',
        'mattermost_api_time_count{handler="createPost",method="POST",status_code="500",node="app-1"} 10',
        'mattermost_api_time_bucket{le="+Inf",status_code="200"} 90',
        'garbage line',
      ].join('\n'),
    );
    expect(sumOf(samples, 'process_cpu_seconds_total')).toBe(12.5);
    expect(sumOf(samples, 'mattermost_api_time_count')).toBe(100);
    expect(sumOf(samples, 'mattermost_api_time_count', (l) => l.status_code!.startsWith('5'))).toBe(10);
    expect(sumOf(samples, 'missing')).toBeNull();
    expect(samples.find((s) => s.name === 'mattermost_api_time_bucket')?.labels.le).toBe('+Inf');
  });
});
