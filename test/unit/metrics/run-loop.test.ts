import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { HarnessMonitor } from '../../../src/metrics/harness-monitor.js';
import { Heartbeat } from '../../../src/metrics/heartbeat.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { ProgressDisplay } from '../../../src/report/progress.js';
import { buildSummary } from '../../../src/report/summary.js';
import { TimeseriesWriter } from '../../../src/report/timeseries.js';
import { parseThresholds } from '../../../src/verdict/thresholds.js';
import { AbortOnFail, ThresholdsAbortError } from '../../../src/verdict/thresholds-abort.js';

// How a run wires the pieces together: one registry, one heartbeat, listeners for the time
// series, the progress display and abortOnFail; the summary at the end.
describe('the pieces of a run, wired together', () => {
  test('an abortOnFail threshold stops a (fake) load loop; every output reflects it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmdrill-run-'));
    try {
      const startedAt = new Date();
      const registry = new MetricsRegistry({ startedAt: startedAt.getTime() });
      const monitor = new HarnessMonitor(registry);
      const { thresholds, problems } = parseThresholds({
        http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '100ms' }],
        http_req_duration: ['p(99)<1000'],
      });
      expect(problems).toEqual([]);
      const controller = new AbortController();
      const timeseries = new TimeseriesWriter(join(dir, 'timeseries.ndjson'));
      let log = '';
      const progress = new ProgressDisplay({
        stream: { write: (t: string) => (log += t) },
        tty: false,
        plainEveryMs: 100,
      });
      const heartbeat = new Heartbeat({ registry, monitor, intervalMs: 50 })
        .on(timeseries.listener())
        .on(progress.listener())
        .on(new AbortOnFail(thresholds, registry).listener(controller));
      heartbeat.start();

      // The fake load: requests start failing after 150 ms; bounded in time either way.
      const t0 = performance.now();
      while (!controller.signal.aborted && performance.now() - t0 < 3000) {
        const failing = performance.now() - t0 > 150;
        registry.counter(METRIC.httpReqs).add(1, { status: failing ? '503' : '200' });
        registry.rate(METRIC.httpReqFailed).add(failing);
        registry.trend(METRIC.httpReqDuration).add(5);
        await sleep(2);
      }
      timeseries.writeEvent({ type: 'abort', reason: String(controller.signal.reason) });
      heartbeat.stop();
      timeseries.close();

      expect(controller.signal.reason).toBeInstanceOf(ThresholdsAbortError);
      const summary = buildSummary({
        registry,
        thresholds,
        harness: monitor.report(),
        startedAt,
        endedAt: new Date(),
        argv: ['mmdrill', 'run', 'x'],
        scenario: { name: 'x' },
        environment: { name: 'test', provider: 'existing', url: 'http://127.0.0.1:1' },
        partial: true,
        deliveryPosts: 0,
      });
      expect(summary.verdict).toBe('fail');
      expect(summary.thresholds[0]).toMatchObject({
        metric: 'http_req_failed',
        ok: false,
        abortOnFail: true,
      });
      expect(summary.metrics.http_req_5xx).toMatchObject({ type: 'rate' });

      const lines = (await readFile(join(dir, 'timeseries.ndjson'), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.filter((l) => l.type === 'interval').length).toBeGreaterThanOrEqual(3);
      expect(lines.at(-1)).toMatchObject({ type: 'interval' }); // the final partial interval follows the event
      expect(lines.some((l) => l.type === 'abort')).toBe(true);
      expect(lines.some((l) => l.type === 'interval' && l.errorRate > 0.5)).toBe(true);
      expect(log).toMatch(/req\/s/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
