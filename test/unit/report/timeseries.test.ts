import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { intervalLine, TimeseriesWriter } from '../../../src/report/timeseries.js';

function clockAt(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function oneBusySecond(clock: ReturnType<typeof clockAt>, r: MetricsRegistry): void {
  const reqs = r.counter(METRIC.httpReqs);
  const failed = r.rate(METRIC.httpReqFailed);
  const duration = r.trend(METRIC.httpReqDuration);
  for (let i = 1; i <= 200; i++) {
    const status = i <= 2 ? '503' : '200';
    reqs.add(1, { status });
    failed.add(i <= 4);
    duration.add(i);
  }
  r.trend(METRIC.actionDuration).add(40, { action: 'create_post' });
  r.trend(METRIC.deliveryLatency).add(12);
  r.trend(METRIC.deliveryLatency).add(30);
  r.gauge(METRIC.vus).set(100);
  r.gauge(METRIC.wsSessions).set(98);
  r.counter(METRIC.iterations).add(150);
  r.counter(METRIC.droppedIterations).add(3);
  r.counter(METRIC.timeouts).add(1);
  r.trend(METRIC.harnessEventLoopDelay).add(4.2);
  r.gauge(METRIC.harnessCpu).set(0.4567);
  clock.advance(1000);
}

describe('time series lines', () => {
  test('one line per interval with the per-second figures', () => {
    const clock = clockAt(Date.parse('2025-01-01T00:00:00Z'));
    const r = new MetricsRegistry({ clock: clock.now });
    oneBusySecond(clock, r);
    const line = intervalLine(r.takeInterval(), 1000);
    // HDR percentiles are their bucket's upper edge: within 0.1 % above the exact value.
    for (const [key, exact] of [
      ['httpP50Ms', 100],
      ['httpP95Ms', 190],
      ['httpP99Ms', 198],
      ['deliveryP50Ms', 12],
    ] as const) {
      expect(line[key]! - exact).toBeGreaterThanOrEqual(0);
      expect((line[key]! - exact) / exact).toBeLessThan(0.001);
      line[key] = exact;
    }
    expect(line).toEqual({
      type: 'interval',
      t: '2025-01-01T00:00:01.000Z',
      elapsedS: 1,
      intervalS: 1,
      reqRate: 200,
      errorRate: 0.02,
      http5xxRate: 0.01,
      timeouts: 1,
      httpP50Ms: 100,
      httpP95Ms: 190,
      httpP99Ms: 198,
      actionP50Ms: 40,
      actionP95Ms: 40,
      actionP99Ms: 40,
      vus: 100,
      wsSessions: 98,
      deliveryP50Ms: 12,
      deliveryP99Ms: 30,
      iterations: 150,
      droppedIterations: 3,
      eventLoopDelayP99Ms: 4.2,
      cpu: 0.457,
    });
  });

  test('a quiet second has null percentiles and zero rates, gauges keep their value', () => {
    const clock = clockAt(Date.parse('2025-01-01T00:00:00Z'));
    const r = new MetricsRegistry({ clock: clock.now });
    oneBusySecond(clock, r);
    r.takeInterval();
    clock.advance(1000);
    const line = intervalLine(r.takeInterval(), 2000);
    expect(line).toMatchObject({
      elapsedS: 2,
      reqRate: 0,
      errorRate: 0,
      httpP99Ms: null,
      deliveryP50Ms: null,
      vus: 100,
      wsSessions: 98,
      eventLoopDelayP99Ms: null,
    });
  });
});

describe('TimeseriesWriter', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmdrill-ts-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('each line is on disk as soon as it is written; events are generic', async () => {
    const path = join(dir, 'timeseries.ndjson');
    const clock = clockAt(Date.parse('2025-01-01T00:00:00Z'));
    const r = new MetricsRegistry({ clock: clock.now });
    const writer = new TimeseriesWriter(path);
    const listener = writer.listener();
    oneBusySecond(clock, r);
    listener({ interval: r.takeInterval(), elapsedMs: 1000, final: false });
    // Read before close: nothing is buffered in the process.
    const first = (await readFile(path, 'utf8')).split('\n');
    expect(first).toHaveLength(2);
    expect(JSON.parse(first[0]!)).toMatchObject({ type: 'interval', reqRate: 200 });

    writer.writeEvent({ type: 'fault', kind: 'latency', link: 'users-lb', phase: 'start' });
    writer.writeEvent({ type: 'fault', t: '2025-01-01T00:00:05.000Z', elapsedS: 5, phase: 'end' });
    writer.close();
    writer.close();
    const lines = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatchObject({ type: 'fault', kind: 'latency', link: 'users-lb', phase: 'start' });
    expect(lines[1].t).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(typeof lines[1].elapsedS).toBe('number');
    expect(lines[2]).toEqual({ type: 'fault', t: '2025-01-01T00:00:05.000Z', elapsedS: 5, phase: 'end' });
    expect(() => writer.writeEvent({ type: 'late' })).toThrow('is closed');
  });
});
