import { describe, expect, test } from 'vitest';
import { validatorFor } from '../../../src/config/validator.js';
import { parseExpression, parseThresholds } from '../../../src/verdict/thresholds.js';
import { ThresholdsSchema } from '../../../src/verdict/thresholds-schema.js';

describe('parseExpression', () => {
  test.each([
    ['p(99)<2000', { kind: 'p', percentile: 99 }, '<', 2000],
    [' p( 99.9 ) <= 1e3 ', { kind: 'p', percentile: 99.9 }, '<=', 1000],
    ['avg<100', { kind: 'avg' }, '<', 100],
    ['rate<0.00025', { kind: 'rate' }, '<', 0.00025],
    ['count>=10', { kind: 'count' }, '>=', 10],
    ['value == 0', { kind: 'value' }, '==', 0],
    ['value===0', { kind: 'value' }, '==', 0],
    ['max != -1.5', { kind: 'max' }, '!=', -1.5],
    ['med>.5', { kind: 'med' }, '>', 0.5],
  ])('%s', (text, aggregation, operator, limit) => {
    expect(parseExpression(text)).toEqual({ aggregation, operator, limit });
  });

  test.each([
    ['', 'expected an aggregation'],
    ['p99<2000', 'write the percentile in parentheses: p(99)'],
    ['p<2000', 'p needs a percentile in parentheses'],
    ['p(101)<5', 'percentile "101" must be a number from 0 to 100'],
    ['p(x)<5', 'percentile "x" must be a number'],
    ['p()<5', 'percentile "" must be a number'],
    ['average<100', 'unknown aggregation "average"'],
    ['rte<0.1', 'unknown aggregation "rte" (did you mean "rate"?)'],
    ['avg 100', 'expected <, <=, >, >=, == or != after avg'],
    ['avg=100', 'expected <, <=, >, >=, == or != after avg'],
    ['avg<', 'expected a number after <'],
    ['avg<100ms', '"100ms" is not a number'],
    ['avg<1 or max<2', 'is not a number'],
  ])('rejects %j', (text, message) => {
    expect(() => parseExpression(text)).toThrow(message);
  });
});

describe('parseThresholds', () => {
  test('reads strings and objects, canonical metric names, abortOnFail options', () => {
    const { thresholds, problems } = parseThresholds({
      http_req_duration: ['p(99)<2000', 'avg<100'],
      'http_req_duration{status:201, action:create_post}': [
        { threshold: 'p(95)<500', abortOnFail: true, delayAbortEval: '10s' },
      ],
      http_req_failed: ['rate<0.01'],
      http_reqs: ['count>0', 'rate>10'],
      vus: ['value>0', 'max<=100'],
    });
    expect(problems).toEqual([]);
    expect(thresholds.map((t) => [t.metric, t.expression, t.type])).toEqual([
      ['http_req_duration', 'p(99)<2000', 'trend'],
      ['http_req_duration', 'avg<100', 'trend'],
      ['http_req_duration{action:create_post,status:201}', 'p(95)<500', 'trend'],
      ['http_req_failed', 'rate<0.01', 'rate'],
      ['http_reqs', 'count>0', 'counter'],
      ['http_reqs', 'rate>10', 'counter'],
      ['vus', 'value>0', 'gauge'],
      ['vus', 'max<=100', 'gauge'],
    ]);
    const tagged = thresholds[2]!;
    expect(tagged).toMatchObject({
      abortOnFail: true,
      delayAbortEvalMs: 10_000,
      selector: { name: 'http_req_duration', tags: { action: 'create_post', status: '201' } },
      path: ['http_req_duration{status:201, action:create_post}', 0],
    });
    expect(thresholds[0]).toMatchObject({ abortOnFail: false, delayAbortEvalMs: 0 });
  });

  test('problems carry the path of the key or the expression, under basePath', () => {
    const { thresholds, problems } = parseThresholds(
      {
        http_req_duraton: ['p(99)<2000'],
        'http_reqs{status}': ['count>0'],
        http_reqs: ['p(99)<5', 'count>0'],
        http_req_failed: ['avg<0.1'],
        vus: ['p(50)<3'],
        mm_ws_sessions: [{ threshold: 'value>', abortOnFail: true }],
        mm_timeout_rate: ['rate<0.1'],
        'mm_timeout_rate{action:x}': ['rate<0.1'],
        mm_delivery_latency: [{ threshold: 'p(99)<1000', delayAbortEval: 'soon' }],
      },
      { basePath: ['scenarios', 'chat', 'thresholds'] },
    );
    const base = ['scenarios', 'chat', 'thresholds'];
    expect(problems).toEqual([
      {
        path: [...base, 'http_req_duraton'],
        anchor: 'key',
        message: 'unknown metric "http_req_duraton" (did you mean "http_req_duration"?)',
      },
      {
        path: [...base, 'http_reqs{status}'],
        anchor: 'key',
        message: 'invalid threshold key "http_reqs{status}": tag filter "status" must be tag:value',
      },
      {
        path: [...base, 'http_reqs', 0],
        message: 'p(N) does not apply to http_reqs, a counter: use count, rate',
      },
      {
        path: [...base, 'http_req_failed', 0],
        message: 'avg does not apply to http_req_failed, a rate: use rate',
      },
      { path: [...base, 'vus', 0], message: 'p(N) does not apply to vus, a gauge: use value, min, max' },
      {
        path: [...base, 'mm_ws_sessions', 0, 'threshold'],
        message: 'invalid threshold "value>": expected a number after >',
      },
      {
        path: [...base, 'mm_timeout_rate{action:x}'],
        anchor: 'key',
        message: 'mm_timeout_rate has no tags: use "mm_timeout_rate" without a filter',
      },
      {
        path: [...base, 'mm_delivery_latency', 0, 'delayAbortEval'],
        message: expect.stringContaining('invalid duration "soon"'),
      },
    ]);
    // What parsed fine is still returned (the loader reports problems and stops anyway).
    expect(thresholds.map((t) => `${t.metric} ${t.expression}`)).toEqual([
      'http_reqs count>0',
      'mm_timeout_rate rate<0.1',
    ]);
  });

  test('extra metric types extend the built-in catalogue', () => {
    const { thresholds, problems } = parseThresholds(
      { my_trend: ['p(90)<5'] },
      { metricTypes: { my_trend: 'trend' } },
    );
    expect(problems).toEqual([]);
    expect(thresholds[0]?.type).toBe('trend');
  });

  test('the schema takes k6 shapes and rejects others', () => {
    const validate = validatorFor(ThresholdsSchema);
    expect(validate({ http_req_duration: ['p(99)<2000', { threshold: 'avg<100', abortOnFail: true }] })).toBe(
      true,
    );
    expect(validate({ http_req_duration: [{ threshold: 'avg<1', delayAbortEval: '10s' }] })).toBe(true);
    expect(validate({ http_req_duration: 'p(99)<2000' })).toBe(false);
    expect(validate({ http_req_duration: [] })).toBe(false);
    expect(validate({ http_req_duration: [{ threshold: 'avg<1', abortOnFial: true }] })).toBe(false);
    expect(validate({ http_req_duration: [{ threshold: 'avg<1', delayAbortEval: '10 s' }] })).toBe(false);
  });
});
