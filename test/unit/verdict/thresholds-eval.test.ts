import { describe, expect, test } from 'vitest';
import { parseConfigTextChecked } from '../../../src/config/load.js';
import { ClosedObject } from '../../../src/config/schema-builders.js';
import { METRIC } from '../../../src/metrics/api.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { evaluateThresholds, parseThresholds, type Threshold } from '../../../src/verdict/thresholds.js';
import { AbortOnFail, ThresholdsAbortError } from '../../../src/verdict/thresholds-abort.js';
import { type ThresholdsConfig, ThresholdsSchema } from '../../../src/verdict/thresholds-schema.js';

function thresholds(config: ThresholdsConfig): Threshold[] {
  const parsed = parseThresholds(config);
  expect(parsed.problems).toEqual([]);
  return parsed.thresholds;
}

function clockAt(start = 5_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('evaluateThresholds', () => {
  test('every aggregation against recorded data', () => {
    const clock = clockAt();
    const r = new MetricsRegistry({ clock: clock.now });
    const d = r.trend(METRIC.httpReqDuration);
    for (let i = 1; i <= 100; i++) d.add(i, { action: i <= 50 ? 'view_channel' : 'create_post' });
    const reqs = r.counter(METRIC.httpReqs);
    reqs.add(100, { status: '200' });
    r.rate(METRIC.httpReqFailed).add(true);
    for (let i = 0; i < 9; i++) r.rate(METRIC.httpReqFailed).add(false);
    r.gauge(METRIC.vus).set(40);
    r.gauge(METRIC.vus).set(25);
    clock.advance(10_000);
    const results = evaluateThresholds(
      thresholds({
        http_req_duration: [
          'avg<50',
          'avg<=50.5',
          'min==1',
          'max<100',
          'med<=50.1',
          'p(90)<=90.1',
          'p(99)>=99',
          'count==100',
        ],
        'http_req_duration{action:create_post}': ['min>50', 'p(99)<100'],
        http_reqs: ['count==100', 'rate==10'],
        http_req_failed: ['rate<0.1', 'rate<=0.1'],
        vus: ['value==25', 'max==40', 'min!=25'],
      }),
      r,
    );
    // Percentiles are the upper edge of their HDR bucket (< 0.1 % high), never below the truth.
    expect(results.map((x) => [x.metric, x.expression, x.ok, x.value])).toEqual([
      ['http_req_duration', 'avg<50', false, 50.5],
      ['http_req_duration', 'avg<=50.5', true, 50.5],
      ['http_req_duration', 'min==1', true, 1],
      ['http_req_duration', 'max<100', false, 100],
      ['http_req_duration', 'med<=50.1', true, 50.015],
      ['http_req_duration', 'p(90)<=90.1', true, 90.047],
      ['http_req_duration', 'p(99)>=99', true, 99.007],
      ['http_req_duration', 'count==100', true, 100],
      ['http_req_duration{action:create_post}', 'min>50', true, 51],
      ['http_req_duration{action:create_post}', 'p(99)<100', false, 100],
      ['http_reqs', 'count==100', true, 100],
      ['http_reqs', 'rate==10', true, 10],
      ['http_req_failed', 'rate<0.1', false, 0.1],
      ['http_req_failed', 'rate<=0.1', true, 0.1],
      ['vus', 'value==25', true, 25],
      ['vus', 'max==40', true, 40],
      ['vus', 'min!=25', false, 25],
    ]);
  });

  test('no samples: trends and gauges are not judged (ok, value null); counts and rates are 0', () => {
    const r = new MetricsRegistry();
    const results = evaluateThresholds(
      thresholds({
        mm_delivery_latency: ['p(99)<1000', 'count>0'],
        mm_timeouts: ['count<1'],
        http_req_failed: ['rate<0.01'],
        mm_ws_sessions: ['value>0'],
      }),
      r,
    );
    expect(results.map((x) => [x.metric, x.expression, x.ok, x.value])).toEqual([
      ['mm_delivery_latency', 'p(99)<1000', true, null],
      ['mm_delivery_latency', 'count>0', false, 0],
      ['mm_timeouts', 'count<1', true, 0],
      ['http_req_failed', 'rate<0.01', true, 0],
      ['mm_ws_sessions', 'value>0', true, null],
    ]);
  });

  test('results name their source and abortOnFail', () => {
    const r = new MetricsRegistry();
    const parsed = parseThresholds(
      { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }] },
      { source: 'targets:x' },
    );
    expect(evaluateThresholds(parsed.thresholds, r)).toEqual([
      {
        metric: 'http_req_failed',
        expression: 'rate<0.5',
        ok: true,
        value: 0,
        abortOnFail: true,
        source: 'targets:x',
      },
    ]);
  });

  test('an interval is a source too (per-second checks)', () => {
    const r = new MetricsRegistry();
    r.counter(METRIC.httpReqs).add(4000, { status: '200' });
    r.counter(METRIC.httpReqs).add(2, { status: '503' });
    const interval = r.takeInterval();
    const [result] = evaluateThresholds(thresholds({ http_req_5xx: ['rate<0.00025'] }), interval);
    expect(result).toMatchObject({ ok: false, value: 0.00049975 });
  });
});

describe('abortOnFail', () => {
  test('waits for delayAbortEval, then reports failing thresholds only', () => {
    const r = new MetricsRegistry();
    const watcher = new AbortOnFail(
      thresholds({
        'http_req_duration{action:create_post}': [
          { threshold: 'p(99)<100', abortOnFail: true, delayAbortEval: '5s' },
          'p(99)<1',
        ],
        http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true }],
      }),
      r,
    );
    expect(watcher.active).toBe(true);
    r.trend(METRIC.httpReqDuration).add(500, { action: 'create_post' });
    r.rate(METRIC.httpReqFailed).add(false);
    expect(watcher.check(4_999)).toEqual([]);
    expect(watcher.check(5_000)).toEqual([
      {
        metric: 'http_req_duration{action:create_post}',
        expression: 'p(99)<100',
        ok: false,
        value: 500,
        abortOnFail: true,
      },
    ]);
  });

  test('the heartbeat listener aborts the run once, with the failures as reason', () => {
    const r = new MetricsRegistry();
    const watcher = new AbortOnFail(
      thresholds({ http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true }] }),
      r,
    );
    const controller = new AbortController();
    const listener = watcher.listener(controller);
    const tick = { interval: r.takeInterval(), elapsedMs: 1000, final: false };
    r.rate(METRIC.httpReqFailed).add(false);
    listener(tick);
    expect(controller.signal.aborted).toBe(false);
    r.rate(METRIC.httpReqFailed).add(true);
    listener({ ...tick, elapsedMs: 2000 });
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBeInstanceOf(ThresholdsAbortError);
    expect((controller.signal.reason as Error).message).toBe(
      'aborted: threshold failed: http_req_failed rate<0.1 (got 0.5)',
    );
  });

  test('no abortOnFail thresholds: inactive', () => {
    expect(new AbortOnFail(thresholds({ http_reqs: ['count>0'] }), new MetricsRegistry()).active).toBe(false);
  });
});

describe('threshold problems located in a file', () => {
  test('the loader turns them into file:line:field errors', async () => {
    const schema = ClosedObject({ thresholds: ThresholdsSchema });
    const text = [
      'thresholds:',
      '  http_req_duration:',
      "    - 'p(99)<2000'",
      "    - 'p99<5'",
      '  http_reqz: [avg<1]',
      '',
    ].join('\n');
    const load = parseConfigTextChecked(text, 'scenarios/x.yaml', schema, {
      kind: 'scenario',
      check: (value) => parseThresholds(value.thresholds, { basePath: ['thresholds'] }).problems,
    });
    await expect(load).rejects.toThrow(
      [
        '2 problems in scenario file scenarios/x.yaml:',
        'scenarios/x.yaml:4:7  thresholds.http_req_duration[1]: invalid threshold "p99<5": write the percentile in parentheses: p(99)',
        'scenarios/x.yaml:5:3  thresholds.http_reqz: unknown metric "http_reqz" (did you mean "http_reqs"?)',
      ].join('\n'),
    );
  });
});
