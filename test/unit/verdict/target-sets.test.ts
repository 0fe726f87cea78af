import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import {
  TARGET_SET_NAMES,
  TARGET_SETS,
  targetReport,
  targetSet,
  targetThresholds,
} from '../../../src/verdict/target-sets.js';
import { evaluateThresholds } from '../../../src/verdict/thresholds.js';

describe('target sets', () => {
  test.each(TARGET_SET_NAMES)('%s parses into thresholds', (name) => {
    const set = TARGET_SETS[name]!;
    const thresholds = targetThresholds(set);
    expect(thresholds).toHaveLength(set.measuredChecks.length);
    expect(thresholds.every((t) => t.source === `targets:${name}`)).toBe(true);
  });

  test('mattermost-reference encodes the capacity criteria', () => {
    const thresholds = targetThresholds(targetSet('mattermost-reference'));
    expect(thresholds.map((t) => `${t.metric} ${t.expression}`)).toEqual([
      'http_req_5xx rate<0.00025',
      'mm_timeout_rate rate<0.00025',
      'http_req_duration avg<100',
      'http_req_duration p(99)<2000',
    ]);
  });

  test('unknown set names list the known ones', () => {
    expect(() => targetSet('nope')).toThrow('unknown target set "nope" (known: mattermost-reference)');
  });

  function healthyRun(): MetricsRegistry {
    const r = new MetricsRegistry();
    const reqs = r.counter(METRIC.httpReqs);
    const duration = r.trend(METRIC.httpReqDuration);
    for (let i = 0; i < 10_000; i++) {
      reqs.add(1, { status: '200' });
      duration.add(20 + (i % 50));
    }
    return r;
  }

  test('a healthy run passes the measured rows; server rows stay not evaluated', () => {
    const set = targetSet('mattermost-reference');
    const results = evaluateThresholds(targetThresholds(set), healthyRun());
    expect(results.every((r) => r.ok)).toBe(true);
    const report = targetReport(set, results);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['client-5xx', 'pass'],
      ['client-timeouts', 'pass'],
      ['avg-latency', 'pass'],
      ['p99-latency', 'pass'],
      ['server-5xx', 'not-evaluated'],
      ['app-cpu', 'not-evaluated'],
      ['app-memory', 'not-evaluated'],
      ['tcp-retransmits', 'not-evaluated'],
    ]);
    expect(report.checks.find((c) => c.id === 'app-cpu')).toMatchObject({
      check: 'app node CPU',
      limit: '< 85 %',
      note: expect.stringContaining('needs server metrics'),
    });
  });

  test('3 5xx and 3 timeouts in 10,000 requests fail both 0.025 % limits', () => {
    const r = healthyRun();
    r.counter(METRIC.httpReqs).add(3, { status: '503' });
    r.counter(METRIC.timeouts).add(3);
    const set = targetSet('mattermost-reference');
    const report = targetReport(set, evaluateThresholds(targetThresholds(set), r));
    expect(report.checks.slice(0, 2).map((c) => [c.id, c.status, c.value])).toEqual([
      ['client-5xx', 'fail', 0.00029991],
      ['client-timeouts', 'fail', 0.00029991],
    ]);
  });

  test('server rows measured elsewhere replace the not-evaluated ones', () => {
    const set = targetSet('mattermost-reference');
    const report = targetReport(set, [], {
      'app-cpu': { id: 'app-cpu', check: 'app node CPU', limit: '< 85 %', status: 'pass', value: 0.42 },
    });
    expect(report.checks.find((c) => c.id === 'app-cpu')?.status).toBe('pass');
    // Without results the measured rows are not evaluated either, never passed.
    expect(report.checks.find((c) => c.id === 'p99-latency')?.status).toBe('not-evaluated');
  });
});
