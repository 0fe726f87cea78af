import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import type { Tick } from '../../../src/metrics/heartbeat.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { formatStatus, ProgressDisplay } from '../../../src/report/progress.js';

class Capture {
  text = '';
  columns: number | undefined;
  isTTY: boolean;
  constructor(tty: boolean, columns?: number) {
    this.isTTY = tty;
    this.columns = columns;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Ticks of a fake run: `perSecond` requests a second, one failed every 100, p99 ≈ the second's number × 10 ms. */
function* run(seconds: number, perSecond = 100): Generator<Tick> {
  let now = 0;
  const r = new MetricsRegistry({ clock: () => now, startedAt: 0 });
  r.gauge(METRIC.vus).set(50);
  r.gauge(METRIC.wsSessions).set(49);
  for (let s = 1; s <= seconds; s++) {
    for (let i = 0; i < perSecond; i++) {
      r.counter(METRIC.httpReqs).add(1, { status: '200' });
      r.rate(METRIC.httpReqFailed).add(i === 0);
      r.trend(METRIC.httpReqDuration).add(s * 10);
    }
    r.trend(METRIC.deliveryLatency).add(7.25);
    now += 1000;
    yield { interval: r.takeInterval(), elapsedMs: s * 1000, final: s === seconds };
  }
}

describe('formatStatus', () => {
  test('every figure, units chosen for the value', () => {
    expect(
      formatStatus({
        elapsedMs: 65_400,
        totalMs: 300_000,
        vus: 100,
        reqRate: 203.44,
        p99Ms: 45.23,
        errorRate: 0.0012,
        errors: 3,
        wsSessions: 99,
        deliveryP99Ms: 1234,
      }),
    ).toBe('01:05/05:00  VUs 100  203.4 req/s  p99 45.2 ms  errors 0.12 % (3)  WS 99  delivery p99 1.23 s');
    expect(
      formatStatus({
        elapsedMs: 3_723_000,
        vus: 0,
        reqRate: 0,
        p99Ms: null,
        errorRate: 0,
        errors: 0,
        wsSessions: 0,
        deliveryP99Ms: null,
      }),
    ).toBe('1:02:03  VUs 0  0.0 req/s  p99 –  errors 0.00 % (0)  WS 0  delivery p99 –');
  });
});

describe('ProgressDisplay', () => {
  test('in a terminal: one status line rewritten every second, kept at the end', () => {
    const out = new Capture(true);
    const progress = new ProgressDisplay({ stream: out, totalMs: 3000 });
    for (const tick of run(3)) progress.update(tick);
    const frames = out.text.split('\r\u001b[2K').filter(Boolean);
    expect(frames).toEqual([
      '00:01/00:03  VUs 50  100.0 req/s  p99 10.0 ms  errors 1.00 % (1)  WS 49  delivery p99 7.3 ms',
      '00:02/00:03  VUs 50  100.0 req/s  p99 20.0 ms  errors 1.00 % (2)  WS 49  delivery p99 7.3 ms',
      '00:03/00:03  VUs 50  100.0 req/s  p99 30.0 ms  errors 1.00 % (3)  WS 49  delivery p99 7.3 ms\n',
    ]);
  });

  test('in a terminal: messages go above the status line; long lines fit the width', () => {
    const out = new Capture(true, 40);
    const progress = new ProgressDisplay({ stream: out });
    const ticks = [...run(2)];
    progress.update({ ...ticks[0]!, final: false });
    progress.log('fault: latency 100 ms on users-lb');
    progress.update({ ...ticks[1]!, final: false });
    progress.stop();
    expect(out.text).toBe(
      '\r\u001b[2K00:01  VUs 50  100.0 req/s  p99 10.0 ms' +
        '\r\u001b[2Kfault: latency 100 ms on users-lb\n' +
        '\r\u001b[2K00:02  VUs 50  100.0 req/s  p99 20.0 ms\n',
    );
  });

  test('in CI logs: one plain line per 10 s covering those 10 s, and the remainder at the end', () => {
    const out = new Capture(false);
    const progress = new ProgressDisplay({ stream: out, totalMs: 25_000 });
    for (const tick of run(25)) progress.update(tick);
    expect(out.text.split('\n')).toEqual([
      // p99 of seconds 1..10 is second 10's 100 ms; 10 failures in 1,000 requests
      '00:10/00:25  VUs 50  100.0 req/s  p99 100.0 ms  errors 1.00 % (10)  WS 49  delivery p99 7.3 ms',
      '00:20/00:25  VUs 50  100.0 req/s  p99 200.0 ms  errors 1.00 % (20)  WS 49  delivery p99 7.3 ms',
      '00:25/00:25  VUs 50  100.0 req/s  p99 250.0 ms  errors 1.00 % (25)  WS 49  delivery p99 7.3 ms',
      '',
    ]);
    expect(out.text).not.toContain('\r');
  });

  test('the plain interval is configurable', () => {
    const out = new Capture(false);
    const progress = new ProgressDisplay({ stream: out, plainEveryMs: 2000 });
    for (const tick of run(4)) progress.update({ ...tick, final: false });
    expect(out.text.trimEnd().split('\n')).toHaveLength(2);
  });
});
