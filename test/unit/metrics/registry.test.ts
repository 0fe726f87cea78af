import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { IntervalSnapshot } from '../../../src/metrics/interval.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { parseSelector, selectorName, seriesName, tagsKey } from '../../../src/metrics/series-name.js';
import { TrendSink } from '../../../src/metrics/sinks.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('k6 series names', () => {
  test('tags are sorted, whatever order they were built in', () => {
    expect(seriesName('http_req_duration', { status: '200', action: 'create_post' })).toBe(
      'http_req_duration{action:create_post,status:200}',
    );
    expect(tagsKey({ b: '2', a: '1' })).toBe(tagsKey({ a: '1', b: '2' }));
    expect(seriesName('vus')).toBe('vus');
    expect(seriesName('vus', {})).toBe('vus');
  });

  test('parseSelector reads k6 threshold keys, values with colons and braces included', () => {
    expect(parseSelector('http_req_duration')).toEqual({ name: 'http_req_duration', tags: {} });
    expect(parseSelector(' http_req_duration{ status : 200 , action:create_post }')).toEqual({
      name: 'http_req_duration',
      tags: { status: '200', action: 'create_post' },
    });
    const templated = parseSelector(
      'http_req_duration{name:/api/v4/channels/{channel_id}/posts,url:http://x:1}',
    );
    expect(templated.tags).toEqual({ name: '/api/v4/channels/{channel_id}/posts', url: 'http://x:1' });
    expect(selectorName(parseSelector('m{b:2,a:1}'))).toBe('m{a:1,b:2}');
  });

  test.each([
    ['{a:b}', 'missing metric name'],
    ['1abc', 'is not a metric name'],
    ['m{a:b', 'must end with "}"'],
    ['m{}', 'empty tag filter'],
    ['m{a}', 'must be tag:value'],
    ['m{:x}', 'no tag name'],
    ['m{a:1,a:2}', 'appears twice'],
  ])('parseSelector rejects %s', (text, message) => {
    expect(() => parseSelector(text)).toThrow(message);
  });
});

describe('trend percentiles', () => {
  test('match known data within the histogram resolution (0.1 %)', () => {
    const sink = new TrendSink();
    for (let i = 1; i <= 10_000; i++) sink.add(i / 10); // 0.1 … 1000 ms, uniform
    const snap = sink.snapshot();
    expect(snap.count).toBe(10_000);
    expect(snap.min).toBe(0.1);
    expect(snap.max).toBe(1000);
    expect(snap.avg).toBeCloseTo(500.05, 3);
    for (const [value, exact] of [
      [snap.med, 500],
      [snap.p90, 900],
      [snap.p95, 950],
      [snap.p99, 990],
    ] as const) {
      expect(Math.abs(value - exact) / exact).toBeLessThan(0.001);
    }
  });

  test('keep microseconds apart at ping latencies', () => {
    const a = new TrendSink();
    const b = new TrendSink();
    for (let i = 0; i < 100; i++) a.add(1.6);
    for (let i = 0; i < 100; i++) b.add(1.65);
    expect(a.percentile(50)).toBe(1.6);
    expect(b.percentile(50)).toBe(1.65);
    const c = new TrendSink();
    c.add(101.6);
    c.add(201.6);
    expect(c.percentile(50)).toBeCloseTo(101.6, 1);
  });

  test('clamp negatives to 0, drop NaN, and stay within the exact min and max', () => {
    const sink = new TrendSink();
    sink.add(-3);
    sink.add(Number.NaN);
    sink.add(12345.678);
    expect(sink.count).toBe(2);
    expect(sink.min).toBe(0);
    expect(sink.percentile(100)).toBe(12345.678);
    expect(sink.percentile(99.999)).toBeLessThanOrEqual(12345.678);
  });

  test('an empty trend snapshots as zeros', () => {
    expect(new TrendSink().snapshot()).toEqual({
      type: 'trend',
      count: 0,
      avg: 0,
      min: 0,
      med: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      max: 0,
    });
  });
});

describe('MetricsRegistry', () => {
  test('keeps the aggregate and one series per tag set, in k6 form', () => {
    const clock = fakeClock();
    const r = new MetricsRegistry({ clock: clock.now });
    const d = r.trend(METRIC.httpReqDuration);
    d.add(10, { action: 'create_post', status: '201' });
    d.add(20, { status: '201', action: 'create_post' });
    d.add(30, { action: 'view_channel', status: '200' });
    d.add(40);
    const snap = r.snapshot();
    expect(snap.http_req_duration).toMatchObject({ type: 'trend', count: 4, min: 10, max: 40, avg: 25 });
    expect(snap['http_req_duration{action:create_post,status:201}']).toMatchObject({ count: 2, max: 20 });
    expect(snap['http_req_duration{action:view_channel,status:200}']).toMatchObject({ count: 1 });
    expect(Object.keys(snap).filter((k) => k.startsWith('http_req_duration'))).toHaveLength(3);
  });

  test('answers any tag filter by merging the series it matches', () => {
    const r = new MetricsRegistry();
    const d = r.trend(METRIC.httpReqDuration);
    d.add(10, { action: 'create_post', status: '201' });
    d.add(50, { action: 'create_post', status: '500' });
    d.add(30, { action: 'view_channel', status: '200' });
    const posts = r.query(parseSelector('http_req_duration{action:create_post}'));
    expect(posts?.type === 'trend' && [posts.count, posts.min, posts.max]).toEqual([2, 10, 50]);
    const none = r.query(parseSelector('http_req_duration{action:nope}'));
    expect(none?.type === 'trend' && none.count).toBe(0);
    expect(r.query(parseSelector('never_recorded'))).toBeUndefined();
    const snap = r.snapshot({ include: [parseSelector('http_req_duration{action:create_post}')] });
    expect(snap['http_req_duration{action:create_post}']).toMatchObject({ count: 2 });
  });

  test('tracked filters see samples from before and after tracking', () => {
    const r = new MetricsRegistry();
    const c = r.counter(METRIC.httpReqs);
    c.add(1, { action: 'a', status: '200' });
    r.track(parseSelector('http_reqs{action:a}'));
    c.add(2, { action: 'a', status: '500' });
    c.add(5, { action: 'b', status: '200' });
    c.add(7);
    const tracked = r.query(parseSelector('http_reqs{action:a}'));
    expect(tracked?.type === 'counter' && tracked.count).toBe(3);
    expect(r.query(parseSelector('http_reqs'))).toMatchObject({ count: 15 });
  });

  test('counters, rates and gauges snapshot the k6 way', () => {
    const clock = fakeClock();
    const r = new MetricsRegistry({ clock: clock.now });
    r.counter(METRIC.iterations).add();
    r.counter(METRIC.iterations).add(3);
    r.rate(METRIC.httpReqFailed).add(true);
    r.rate(METRIC.httpReqFailed).add(false);
    r.rate(METRIC.httpReqFailed).add(false);
    r.rate(METRIC.httpReqFailed).add(false);
    const vus = r.gauge(METRIC.vus);
    vus.set(5);
    vus.set(12);
    vus.set(8);
    clock.advance(2000);
    const snap = r.snapshot();
    expect(snap.iterations).toEqual({ type: 'counter', count: 4, rate: 2 });
    expect(snap.http_req_failed).toEqual({ type: 'rate', count: 4, passes: 1, rate: 0.25 });
    expect(snap.vus).toEqual({ type: 'gauge', value: 8, min: 5, max: 12 });
  });

  test('gauges of several tag sets add up in the aggregate', () => {
    const r = new MetricsRegistry();
    const vus = r.gauge(METRIC.vus);
    r.track(parseSelector('vus{scenario:b}'));
    vus.set(10, { scenario: 'a' });
    vus.set(5, { scenario: 'b' });
    vus.set(8, { scenario: 'a' });
    vus.set(20, { scenario: 'b' });
    const snap = r.snapshot({ include: [parseSelector('vus{scenario:a}')] });
    expect(snap.vus).toEqual({ type: 'gauge', value: 28, min: 10, max: 28 });
    expect(snap['vus{scenario:a}']).toEqual({ type: 'gauge', value: 8, min: 8, max: 10 });
    expect(r.query(parseSelector('vus{scenario:b}'))).toMatchObject({ value: 20, min: 5, max: 20 });
    const interval = r.takeInterval();
    expect(interval.snapshot(METRIC.vus)).toMatchObject({ value: 28 });
  });

  test('a name keeps one type', () => {
    const r = new MetricsRegistry();
    r.trend('custom');
    expect(() => r.counter('custom')).toThrow('metric custom is a trend, not a counter');
    expect(() => r.counter(METRIC.httpReqDuration)).toThrow('is a trend, not a counter');
    expect(r.trend('custom')).toBe(r.trend('custom'));
  });

  test('derives the 5xx share and the timeout rate from what the HTTP layer records', () => {
    const r = new MetricsRegistry();
    const reqs = r.counter(METRIC.httpReqs);
    for (let i = 0; i < 96; i++) reqs.add(1, { action: 'a', status: '200' });
    reqs.add(1, { action: 'a', status: '502' });
    reqs.add(1, { action: 'b', status: '500' });
    reqs.add(1, { action: 'b', status: '404' });
    reqs.add(1, { action: 'b', status: '0' });
    r.counter(METRIC.timeouts).add(2);
    const snap = r.snapshot({ include: [parseSelector('http_req_5xx{action:b}')] });
    expect(snap.http_req_5xx).toEqual({ type: 'rate', count: 100, passes: 2, rate: 0.02 });
    expect(snap['http_req_5xx{action:b}']).toEqual({ type: 'rate', count: 3, passes: 1, rate: 1 / 3 });
    expect(snap.mm_timeout_rate).toEqual({ type: 'rate', count: 100, passes: 2, rate: 0.02 });
    expect(Object.keys(snap).some((k) => k.startsWith('http_req_5xx{') && k.includes('status'))).toBe(false);
  });

  test('a registry that recorded nothing snapshots as nothing', () => {
    expect(new MetricsRegistry().snapshot()).toEqual({});
  });

  test('a counter added 0 appears with count 0; negative or NaN amounts are dropped', () => {
    const r = new MetricsRegistry();
    r.counter(METRIC.deliveryMissed).add(0);
    r.counter(METRIC.httpReqs).add(-1, { status: '200' });
    r.counter(METRIC.httpReqs).add(Number.NaN);
    const snap = r.snapshot();
    expect(snap.mm_delivery_missed).toMatchObject({ type: 'counter', count: 0 });
    expect(snap.http_reqs).toBeUndefined();
    expect(snap.http_req_5xx).toBeUndefined();
  });

  test('caps the tag sets kept per metric; the aggregate still counts everything', () => {
    const r = new MetricsRegistry({ maxSeriesPerMetric: 3 });
    const c = r.counter('custom_counter');
    for (let i = 0; i < 10; i++) c.add(1, { id: String(i) });
    expect(r.droppedSeries).toBe(7);
    expect(r.snapshot().custom_counter).toMatchObject({ count: 10 });
  });

  test('groupBy projects series onto fewer tags', () => {
    const r = new MetricsRegistry();
    const c = r.counter(METRIC.httpReqs);
    c.add(1, { action: 'a', status: '200', method: 'GET' });
    c.add(2, { action: 'b', status: '200', method: 'POST' });
    c.add(4, { action: 'b', status: '500', method: 'POST' });
    const groups = r
      .groupBy(METRIC.httpReqs, ['status'])
      .map((g) => [g.tags, g.sink.type === 'counter' ? g.sink.count : -1]);
    expect(groups).toEqual(
      expect.arrayContaining([
        [{ status: '200' }, 3],
        [{ status: '500' }, 4],
      ]),
    );
    expect(r.groupBy(METRIC.httpReqs, [])).toHaveLength(1);
  });
});

describe('intervals', () => {
  test('takeInterval hands out and resets the per-interval aggregates, not the cumulative ones', () => {
    const clock = fakeClock();
    const r = new MetricsRegistry({ clock: clock.now });
    const reqs = r.counter(METRIC.httpReqs);
    const dur = r.trend(METRIC.httpReqDuration);
    const ws = r.gauge(METRIC.wsSessions);
    reqs.add(10, { status: '200' });
    dur.add(5);
    dur.add(15);
    ws.set(3);
    clock.advance(1000);
    const first = r.takeInterval();
    expect(first.durationS).toBe(1);
    expect(first.snapshot(METRIC.httpReqs)).toEqual({ type: 'counter', count: 10, rate: 10 });
    expect(first.snapshot(METRIC.httpReqDuration)).toMatchObject({ count: 2, min: 5, max: 15 });

    reqs.add(4, { status: '200' });
    dur.add(100);
    clock.advance(2000);
    const second = r.takeInterval();
    expect(second.snapshot(METRIC.httpReqs)).toEqual({ type: 'counter', count: 4, rate: 2 });
    expect(second.snapshot(METRIC.httpReqDuration)).toMatchObject({ count: 1, min: 100, max: 100 });
    // A gauge holds its value through an interval in which nobody set it.
    expect(second.snapshot(METRIC.wsSessions)).toEqual({ type: 'gauge', value: 3, min: 3, max: 3 });
    // The first interval is frozen: later samples did not reach it.
    expect(first.snapshot(METRIC.httpReqDuration)).toMatchObject({ count: 2 });

    const cumulative = r.snapshot();
    expect(cumulative.http_reqs).toMatchObject({ count: 14 });
    expect(cumulative.http_req_duration).toMatchObject({ count: 3, max: 100 });
  });

  test('intervals merge into a longer window', () => {
    const clock = fakeClock();
    const r = new MetricsRegistry({ clock: clock.now });
    const windows: IntervalSnapshot[] = [];
    for (let s = 1; s <= 10; s++) {
      r.counter(METRIC.httpReqs).add(s);
      r.trend(METRIC.httpReqDuration).add(s * 10);
      clock.advance(1000);
      windows.push(r.takeInterval());
    }
    const merged = IntervalSnapshot.merge(windows);
    expect(merged.durationS).toBe(10);
    expect(merged.snapshot(METRIC.httpReqs)).toEqual({ type: 'counter', count: 55, rate: 5.5 });
    expect(merged.snapshot(METRIC.httpReqDuration)).toMatchObject({ count: 10, min: 10, max: 100 });
  });

  test('interval snapshots refuse tag filters rather than answer them wrongly', () => {
    const r = new MetricsRegistry();
    r.counter(METRIC.httpReqs).add(1, { status: '200' });
    const interval = r.takeInterval();
    expect(interval.query({ name: METRIC.httpReqs, tags: {} })).toMatchObject({ count: 1 });
    expect(() => interval.query(parseSelector('http_reqs{status:200}'))).toThrow('untagged aggregates only');
  });
});
