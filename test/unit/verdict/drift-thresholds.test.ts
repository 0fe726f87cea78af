import { describe, expect, it } from 'vitest';
import { DRIFT_SERIES_UNITS } from '../../../src/verdict/drift.js';
import {
  judgeDrift,
  parseDriftExpression,
  parseDriftThresholds,
} from '../../../src/verdict/drift-thresholds.js';

describe('drift threshold expressions with units', () => {
  it('normalises byte slopes to bytes per minute (binary units)', () => {
    expect(parseDriftExpression('value<1MB/min', 'slope', 'bytes')).toEqual({
      operator: '<',
      limit: 1024 ** 2,
    });
    expect(parseDriftExpression('value <= 512KB/s', 'slope', 'bytes')).toEqual({
      operator: '<=',
      limit: 512 * 1024 * 60,
    });
    expect(parseDriftExpression('value<60MB/h', 'slope', 'bytes').limit).toBe(1024 ** 2);
  });

  it('takes ms and s for latency slopes, and a bare number as the base unit per minute', () => {
    expect(parseDriftExpression('value<2s/h', 'slope', 'ms').limit).toBeCloseTo(2000 / 60);
    expect(parseDriftExpression('value<5ms/min', 'slope', 'ms').limit).toBe(5);
    expect(parseDriftExpression('value<3', 'slope', 'count').limit).toBe(3);
  });

  it('reads a change in % as a fraction', () => {
    expect(parseDriftExpression('value<50%', 'change', 'ms').limit).toBeCloseTo(0.5);
    expect(parseDriftExpression('value<0.5', 'change', 'bytes').limit).toBe(0.5);
  });

  it('rejects units that do not fit the series, with a reason', () => {
    expect(() => parseDriftExpression('value<1MB/min', 'slope', 'ms')).toThrow(
      /MB does not measure this series/,
    );
    expect(() => parseDriftExpression('value<1ms/min', 'change', 'ms')).toThrow(/relative/);
    expect(() => parseDriftExpression('value<1MiB/min', 'slope', 'bytes')).toThrow(/unknown unit "MiB"/);
    expect(() => parseDriftExpression('value<1MB/day', 'slope', 'bytes')).toThrow(/unknown time unit/);
    expect(() => parseDriftExpression('p(99)<1', 'slope', 'ms')).toThrow(/value<LIMIT/);
    expect(() => parseDriftExpression('value<', 'slope', 'ms')).toThrow(/number/);
  });

  it('collects every problem of a mapping with its path, and suggests names', () => {
    const { thresholds, problems } = parseDriftThresholds(
      {
        mm_app_rss_slope: ['value<1MB/min', 'value<1ms/min'],
        mm_app_rs_slope: ['value<1'],
        http_req_duration_p99_change: ['value<50%'],
      },
      DRIFT_SERIES_UNITS,
      ['thresholds'],
    );
    expect(thresholds.map((t) => t.metric)).toEqual(['mm_app_rss_slope', 'http_req_duration_p99_change']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ path: ['thresholds', 'mm_app_rss_slope', 1] });
    expect(problems[1]).toMatchObject({ path: ['thresholds', 'mm_app_rs_slope'], anchor: 'key' });
    expect(problems[1]!.message).toMatch(/did you mean "mm_app_rss_slope"/);
  });

  it('judges a value, and passes an unmeasured one unjudged', () => {
    const [t] = parseDriftThresholds({ mm_app_rss_slope: ['value<1MB/min'] }, DRIFT_SERIES_UNITS).thresholds;
    expect(judgeDrift(t!, 2 * 1024 ** 2).ok).toBe(false);
    expect(judgeDrift(t!, 1000).ok).toBe(true);
    expect(judgeDrift(t!, null)).toMatchObject({ ok: true, note: 'not measured' });
  });
});
