import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { schemaFileName, schemasDirectory } from '../../../src/cli/schemas.js';
import { METRIC } from '../../../src/metrics/api.js';
import type { HarnessReport } from '../../../src/metrics/harness-monitor.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import {
  buildSummary,
  redactArgv,
  type SummaryInput,
  verdictLine,
  writeSummary,
} from '../../../src/report/summary.js';
import { targetSet, targetThresholds } from '../../../src/verdict/target-sets.js';
import { parseThresholds } from '../../../src/verdict/thresholds.js';
import { decideVerdict, exitCodeFor } from '../../../src/verdict/verdict.js';

const calm: HarnessReport = {
  eventLoopDelayP99Ms: 3.2,
  eventLoopDelayMaxMs: 12.5,
  cpu: 0.41,
  saturated: false,
};
const saturated: HarnessReport = {
  eventLoopDelayP99Ms: 180,
  eventLoopDelayMaxMs: 950,
  cpu: 0.99,
  saturated: true,
  reason: 'event-loop delay p99 180.0 ms > 100 ms bound',
};

async function publishedValidator() {
  const schema = JSON.parse(await readFile(join(schemasDirectory(), schemaFileName('summary')), 'utf8'));
  // The published file carries editor keywords; ajv only needs to tolerate them.
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

function recordedRun(start: number): MetricsRegistry {
  let now = start;
  const r = new MetricsRegistry({ clock: () => now, startedAt: start });
  for (let i = 1; i <= 500; i++) {
    const tags = { action: i % 5 === 0 ? 'create_post' : 'view_channel', method: 'GET', status: '200' };
    r.counter(METRIC.httpReqs).add(1, tags);
    r.trend(METRIC.httpReqDuration).add(i % 97, tags);
    r.rate(METRIC.httpReqFailed).add(false, tags);
  }
  for (let i = 0; i < 300; i++) r.trend(METRIC.deliveryLatency).add(5 + (i % 30));
  r.counter(METRIC.deliveryMissed).add(0);
  r.gauge(METRIC.vus).set(100);
  r.trend(METRIC.harnessEventLoopDelay).add(2);
  now += 60_000;
  return r;
}

function input(overrides: Partial<SummaryInput> = {}): SummaryInput {
  const startedAt = new Date('2025-03-01T10:00:00Z');
  const registry = recordedRun(startedAt.getTime());
  const scenario = parseThresholds({
    http_req_duration: ['p(99)<2000'],
    'http_req_duration{action:create_post}': ['avg<500'],
  }).thresholds;
  const set = targetSet('mattermost-reference');
  return {
    registry,
    thresholds: [...scenario, ...targetThresholds(set)],
    harness: calm,
    startedAt,
    endedAt: new Date('2025-03-01T10:01:00Z'),
    argv: ['mmdrill', 'run', 'messaging', '--env', 'environments/native.yaml', '--admin-password', 'hunter2'],
    scenario: { name: 'messaging', file: 'scenarios/messaging.yaml', scenarios: ['chat'] },
    environment: { name: 'native', provider: 'native', url: 'http://127.0.0.1:8065' },
    partial: false,
    deliveryPosts: 60,
    targets: { set },
    ...overrides,
  };
}

describe('summary.json', () => {
  test('a passing run: shape, metrics in k6 form, delivery, targets; validates against the published schema', async () => {
    const summary = buildSummary(input());
    expect(summary).toMatchObject({
      version: 1,
      verdict: 'pass',
      reason: 'all 6 threshold(s) passed',
      startedAt: '2025-03-01T10:00:00.000Z',
      endedAt: '2025-03-01T10:01:00.000Z',
      durationS: 60,
      partial: false,
      command: [
        'mmdrill',
        'run',
        'messaging',
        '--env',
        'environments/native.yaml',
        '--admin-password',
        '***',
      ],
      harness: calm,
    });
    expect(summary.metrics.http_reqs).toEqual({ type: 'counter', count: 500, rate: 500 / 60 });
    expect(summary.metrics['http_req_duration{action:create_post,method:GET,status:200}']).toMatchObject({
      type: 'trend',
      count: 100,
    });
    // Threshold sub-metrics are reported under their own name.
    expect(summary.metrics['http_req_duration{action:create_post}']).toMatchObject({
      type: 'trend',
      count: 100,
    });
    expect(summary.metrics.http_req_failed).toEqual({ type: 'rate', count: 500, passes: 0, rate: 0 });
    expect(summary.metrics.vus).toEqual({ type: 'gauge', value: 100, min: 100, max: 100 });
    expect(summary.delivery.posts).toBe(60);
    expect(summary.delivery.undelivered).toBe(0);
    expect(summary.delivery.latency.p50).toBeCloseTo(19, 1);
    expect(summary.delivery.latency.p99).toBeCloseTo(34, 1);
    expect(summary.thresholds).toContainEqual({
      metric: 'http_req_duration',
      expression: 'p(99)<2000',
      ok: true,
      value: expect.any(Number),
      source: 'targets:mattermost-reference',
    });
    expect(summary.targets?.checks.filter((c) => c.status === 'not-evaluated').map((c) => c.id)).toEqual([
      'server-5xx',
      'app-cpu',
      'app-memory',
      'tcp-retransmits',
    ]);

    const validate = await publishedValidator();
    // Round-trip through JSON: what users' scripts read.
    const written = JSON.parse(JSON.stringify(summary));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
  });

  test('written to disk as JSON that validates; an empty run validates too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmdrill-summary-'));
    try {
      const path = join(dir, 'summary.json');
      const empty = buildSummary(
        input({
          registry: new MetricsRegistry(),
          thresholds: [],
          deliveryPosts: 0,
          partial: true,
          targets: undefined,
        }),
      );
      expect(empty.delivery).toEqual({
        posts: 0,
        latency: { p50: null, p95: null, p99: null },
        undelivered: 0,
      });
      await writeSummary(path, empty);
      const validate = await publishedValidator();
      expect(validate(JSON.parse(await readFile(path, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the schema rejects what the contract forbids', async () => {
    const validate = await publishedValidator();
    const summary = JSON.parse(JSON.stringify(buildSummary(input())));
    expect(validate({ ...summary, verdict: 'ok' })).toBe(false);
    expect(validate({ ...summary, extra: 1 })).toBe(false);
    expect(validate({ ...summary, metrics: { x: { type: 'trend', count: 1 } } })).toBe(false);
    // Capacity, faults and audits have schemas of their own (src/capacity, src/verdict).
    expect(validate({ ...summary, capacity: { users: 217 } })).toBe(false);
    expect(validate({ ...summary, faults: [{ kind: 'latency' }] })).toBe(false);
    expect(validate({ ...summary, audits: { lost: 0 } })).toBe(false);
  });

  test('a failing threshold fails the run', () => {
    const thresholds = parseThresholds({ http_req_duration: ['max<10'] }).thresholds;
    const summary = buildSummary(input({ thresholds }));
    expect(summary.verdict).toBe('fail');
    expect(summary.reason).toBe('1 check(s) failed: http_req_duration max<10 (got 96)');
    expect(exitCodeFor(summary.verdict)).toBe(99);
    expect(verdictLine(summary)).toBe('verdict: fail — 1 check(s) failed: http_req_duration max<10 (got 96)');
  });
});

describe('verdict rules', () => {
  const ok = { metric: 'm', expression: 'avg<1', ok: true, value: 0.5 };
  const bad = { metric: 'm', expression: 'avg<1', ok: false, value: 5 };

  test('pass when everything passed', () => {
    expect(decideVerdict([ok], calm).verdict).toBe('pass');
    expect(decideVerdict([], calm).verdict).toBe('pass');
  });

  test('fail on a failed threshold or another failed check (audits, faults)', () => {
    expect(decideVerdict([ok, bad], calm).verdict).toBe('fail');
    expect(decideVerdict([ok], calm, ['1 acknowledged post lost'])).toEqual({
      verdict: 'fail',
      reason: '1 check(s) failed: 1 acknowledged post lost',
    });
  });

  test('invalid when the harness saturated, whatever the thresholds say', () => {
    for (const results of [[ok], [bad]]) {
      const { verdict, reason } = decideVerdict(results, saturated);
      expect(verdict).toBe('invalid');
      expect(reason).toContain('the harness was saturated (event-loop delay p99 180.0 ms > 100 ms bound)');
    }
    const summary = buildSummary(input({ harness: saturated }));
    expect(summary.verdict).toBe('invalid');
    expect(verdictLine(summary)).toMatch(/^verdict: INVALID \(harness saturated\) — /);
  });

  test('lost acknowledged posts fail the run even when the harness saturated', () => {
    const checks = {
      faults: 1,
      audits: true,
      postsLost: 'audit: 3 acknowledged post(s) lost (first: a, b, c)',
    };
    const { verdict, reason } = decideVerdict([ok], saturated, [checks.postsLost], checks);
    expect(verdict).toBe('fail');
    expect(reason).toMatch(/^audit: 3 acknowledged post\(s\) lost .*; the harness was also saturated/);
    // Without lost posts a saturated run stays invalid (misses may be the harness's own doing).
    expect(decideVerdict([ok], saturated, ['audit: 2 of 9 delivery(ies) missed']).verdict).toBe('invalid');
  });

  test('exit codes: pass 0, fail 99, invalid 99', () => {
    expect(exitCodeFor('pass')).toBe(0);
    expect(exitCodeFor('fail')).toBe(99);
    expect(exitCodeFor('invalid')).toBe(99);
  });
});

describe('redactArgv', () => {
  test.each([
    [
      ['--admin-password', 's3cret', '--users', '10'],
      ['--admin-password', '***', '--users', '10'],
    ],
    [
      ['--token=abc', '--out=reports/x'],
      ['--token=***', '--out=reports/x'],
    ],
    [
      ['--api-key', 'k', '--secret', 's'],
      ['--api-key', '***', '--secret', '***'],
    ],
    [
      ['MM_ADMIN_PASSWORD=abc', 'run'],
      ['MM_ADMIN_PASSWORD=***', 'run'],
    ],
    [
      ['--url', 'https://admin:pw@mm.example:8065/x'],
      ['--url', 'https://admin:***@mm.example:8065/x'],
    ],
    [['--url=http://u:p@h'], ['--url=http://u:***@h']],
    [
      ['run', 'messaging', '--duration', '60s'],
      ['run', 'messaging', '--duration', '60s'],
    ],
  ])('%j', (argv, expected) => {
    expect(redactArgv(argv)).toEqual(expected);
  });
});
