import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { FaultVerdictSchema } from '../../../src/summary/summary-schema.js';
import { sketchOfSamples } from '../../../src/verdict/fault-latency-sketch.js';
import type { SecondObservation } from '../../../src/verdict/fault-observations.js';
import { faultFailures, type JudgedFaultWindow, judgeFaults } from '../../../src/verdict/faults.js';

// Fault verdicts from synthetic per-second observations: a run starts at T0, one entry a second.

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

interface SecondSpec {
  requests?: number;
  errors?: number;
  latencyMs?: number;
  reconnectTimes?: number[];
}

/** `runSeconds` seconds; `spec(s)` says what second s (0-based) looked like. */
function run(runSeconds: number, spec: (s: number) => SecondSpec): SecondObservation[] {
  return Array.from({ length: runSeconds }, (_, s) => {
    const { requests = 100, errors = 0, latencyMs = 10, reconnectTimes = [] } = spec(s);
    const latency = sketchOfSamples(Array.from({ length: requests }, () => latencyMs));
    return {
      startedAt: T0 + s * 1000,
      endedAt: T0 + (s + 1) * 1000,
      requests,
      errors,
      errorRate: requests > 0 ? errors / requests : null,
      p99Ms: requests > 0 ? latencyMs : null,
      latency,
      wsReconnects: reconnectTimes.length,
      wsReconnectTime: sketchOfSamples(reconnectTimes),
    };
  });
}

function window(from: number, to: number, extra: Partial<JudgedFaultWindow> = {}): JudgedFaultWindow {
  return {
    name: 'kill-app-1',
    kind: 'kill',
    target: 'app-1',
    startedAt: at(from),
    endedAt: at(to),
    recoveryFrom: 'end',
    ...extra,
  };
}

describe('judgeFaults', () => {
  test('a clean fault: errors during it, recovered 2 s after its end, within budget', () => {
    // Faulty from 20 s to 30 s: 10 errors a second, and 2 more seconds after the end.
    const seconds = run(60, (s) => (s >= 20 && s < 32 ? { errors: 10 } : {}));
    const [v] = judgeFaults([window(20, 30)], seconds, { errorBudget: { failedRequests: 200 } });
    expect(v).toMatchObject({
      name: 'kill-app-1',
      startedAt: at(20),
      endedAt: at(30),
      interrupted: false,
      timeToFirstErrorMs: 0,
      requestsInWindow: 1000,
      errorsInWindow: 100,
      errorRateInWindow: 0.1,
      p99InWindowMs: 10,
      baselineP99Ms: 10,
      recoveryMs: 2000,
      errorBudget: { failedRequests: 120, requests: 1200, allowed: 200 },
      errorBudgetSpent: 0.6,
      wsReconnects: 0,
      wsReconnectTimeMs: null,
      ok: true,
    });
    expect(v!.reason).toBe(
      'recovered 2.0 s after its end (limit 60 s); 120 failed request(s) of 200 allowed',
    );
    expect(faultFailures([v!])).toEqual([]);
  });

  test('a fault that never recovers is not ok, and says how it looked at the end', () => {
    const seconds = run(50, (s) => (s >= 20 ? { errors: 50 } : {}));
    const [v] = judgeFaults([window(20, 30)], seconds);
    expect(v!.recoveryMs).toBeNull();
    expect(v!.ok).toBe(false);
    expect(v!.reason).toMatch(
      /^not recovered: still unhealthy at 2030-01-01T00:00:50\.000Z \(50\.0 % errors\)/,
    );
    expect(faultFailures([v!])).toEqual([`fault kill-app-1 (kill on app-1): ${v!.reason}`]);
  });

  test('a failover counts its recovery from the start of the fault', () => {
    const failover = window(20, 40, { name: 'failover', kind: 'db-failover', target: 'postgres-primary' });
    const seconds = run(70, (s) => (s >= 20 && s < 25 ? { errors: 100 } : {}));
    const [fromStart] = judgeFaults([{ ...failover, recoveryFrom: 'start' }], seconds, {
      errorBudget: { failedRequests: 1000 },
    });
    expect(fromStart).toMatchObject({
      recoveryFrom: 'start',
      recoveryMs: 5000,
      errorsInWindow: 500,
      ok: true,
    });
    // The same errors counted from the end: healthy at once.
    const [fromEnd] = judgeFaults([failover], seconds, { errorBudget: { failedRequests: 1000 } });
    expect(fromEnd!.recoveryMs).toBe(0);
  });

  test('recovered in time but over the error budget is not ok', () => {
    const seconds = run(60, (s) => (s >= 20 && s < 30 ? { errors: 20 } : {}));
    // Default budget: 5 % of the span's requests (fault 20–30 s, recovered at its end: 1,000).
    const [v] = judgeFaults([window(20, 30)], seconds);
    expect(v).toMatchObject({
      recoveryMs: 0,
      errorBudget: { failedRequests: 200, requests: 1000, allowed: 50 },
      errorBudgetSpent: 4,
      ok: false,
    });
    expect(v!.reason).toBe(
      'recovered 0.0 s after its end, but over the error budget: 200 failed request(s) of 50 allowed',
    );
    // The larger of the two allowances applies.
    const [lenient] = judgeFaults([window(20, 30)], seconds, { errorBudget: { failedRequests: 500 } });
    expect(lenient).toMatchObject({ errorBudget: { allowed: 500 }, errorBudgetSpent: 0.4, ok: true });
  });

  test('a zero budget with failures reports the spend as null and fails', () => {
    const seconds = run(60, (s) => (s === 22 ? { errors: 1 } : {}));
    const [v] = judgeFaults([window(20, 30)], seconds, { errorBudget: { share: 0 }, errorRate: 0.05 });
    expect(v).toMatchObject({
      errorBudgetSpent: null,
      errorBudget: { allowed: 0, failedRequests: 1 },
      ok: false,
    });
  });

  test('no errors at all: no time to first error, recovered at once', () => {
    const [v] = judgeFaults(
      [window(20, 30)],
      run(60, () => ({})),
    );
    expect(v).toMatchObject({
      timeToFirstErrorMs: null,
      errorsInWindow: 0,
      errorRateInWindow: 0,
      recoveryMs: 0,
      errorBudgetSpent: 0,
      ok: true,
    });
  });

  test('time to first error counts from the fault start to the first second with an error', () => {
    const seconds = run(60, (s) => (s === 27 ? { errors: 3 } : {}));
    const [v] = judgeFaults([window(20, 30, { startedAt: new Date(T0 + 20_400).toISOString() })], seconds);
    expect(v!.timeToFirstErrorMs).toBe(6600);
  });

  test('recovery needs p99 back within 2× the baseline (or the floor) as well', () => {
    // Baseline p99 100 ms; after the fault, 3 s at 500 ms (errors gone), then 150 ms (within 2×).
    const seconds = run(60, (s) => {
      if (s >= 20 && s < 30) return { errors: 5, latencyMs: 900 };
      if (s >= 30 && s < 33) return { latencyMs: 500 };
      return { latencyMs: s >= 33 ? 150 : 100 };
    });
    const [v] = judgeFaults([window(20, 30)], seconds, { errorBudget: { failedRequests: 100 } });
    expect(v).toMatchObject({ baselineP99Ms: 100, p99InWindowMs: 900, recoveryMs: 3000, ok: true });
    // A tiny baseline does not make ordinary latency an outage: 40 ms is under the 50 ms floor.
    const fast = run(60, (s) => ({ latencyMs: s < 20 ? 3 : 40 }));
    expect(judgeFaults([window(20, 30)], fast)[0]).toMatchObject({ baselineP99Ms: 3, recoveryMs: 0 });
  });

  test("one slow request does not restart the clock: the p99 is the sustained span's", () => {
    // 20 requests a second after the fault; at 35 s one of them takes 300 ms (a GC pause on a
    // busy host). A second's p99 at that rate is its slowest request; the span's is not.
    const seconds = run(60, (s) => (s >= 20 && s < 30 ? { errors: 50 } : { requests: 20 }));
    seconds[35] = { ...seconds[35]!, latency: sketchOfSamples([...Array(19).fill(10), 300]), p99Ms: 300 };
    const [v] = judgeFaults([window(20, 30)], seconds, { errorBudget: { share: 1 } });
    expect(v).toMatchObject({ recoveryMs: 0, ok: true });
    // Slow for 3 s in a row is more than a hiccup: the healthy span starts after them.
    const slowFor3 = run(60, (s) => {
      if (s >= 20 && s < 30) return { errors: 50 };
      return { requests: 20, latencyMs: s >= 35 && s < 38 ? 300 : 10 };
    });
    expect(judgeFaults([window(20, 30)], slowFor3, { errorBudget: { share: 1 } })[0]).toMatchObject({
      recoveryMs: 8000,
      ok: true,
    });
    const [late] = judgeFaults([window(20, 30)], slowFor3.slice(0, 47), { errorBudget: { share: 1 } });
    expect(late!.reason).toMatch(/^not recovered: healthy for the last 9\.0 s only/);
    const slowToTheEnd = run(60, (s) =>
      s >= 20 && s < 30 ? { errors: 50 } : { latencyMs: s < 20 ? 10 : 300 },
    );
    expect(judgeFaults([window(20, 30)], slowToTheEnd, { errorBudget: { share: 1 } })[0]!.reason).toMatch(
      /^not recovered: still slow: p99 300 ms > 50 ms in the seconds from 2030-01-01T00:00:(59|5\d)/,
    );
  });

  test('recovery slower than maxRecovery fails the fault', () => {
    const seconds = run(100, (s) => (s >= 20 && s < 45 ? { errors: 50 } : {}));
    const [v] = judgeFaults([window(20, 30)], seconds, { maxRecoveryMs: 10_000, errorBudget: { share: 1 } });
    expect(v).toMatchObject({ recoveryMs: 15_000, maxRecoveryMs: 10_000, ok: false });
    expect(v!.reason).toBe(
      'recovered 15 s after its end, over the 10 s allowed; 1250 failed request(s) of 2500 allowed',
    );
  });

  test('healthy for less than the sustain time before the run ended is not recovered', () => {
    const seconds = run(36, (s) => (s >= 20 && s < 30 ? { errors: 50 } : {}));
    const [v] = judgeFaults([window(20, 30)], seconds, { errorBudget: { share: 1 } });
    expect(v!.recoveryMs).toBeNull();
    expect(v!.reason).toMatch(/healthy for the last 6\.0 s only, less than the 10 s required/);
    // A shorter sustain span is enough.
    expect(
      judgeFaults([window(20, 30)], seconds, { sustainMs: 5_000, errorBudget: { share: 1 } })[0],
    ).toMatchObject({
      recoveryMs: 0,
      ok: true,
    });
  });

  test('seconds without requests neither break a healthy span nor make one alone', () => {
    // Quiet seconds right after the fault, then traffic without errors.
    const seconds = run(60, (s) => {
      if (s >= 20 && s < 30) return { errors: 100 };
      if (s >= 30 && s < 35) return { requests: 0 };
      return {};
    });
    const [v] = judgeFaults([window(20, 30)], seconds, { errorBudget: { share: 1 } });
    expect(v!.recoveryMs).toBe(0);
    const silent = run(60, (s) => (s >= 20 && s < 30 ? { errors: 100 } : s >= 30 ? { requests: 0 } : {}));
    expect(judgeFaults([window(20, 30)], silent, { errorBudget: { share: 1 } })[0]!.reason).toMatch(
      /not recovered: no request completed after it/,
    );
  });

  test('WebSocket reconnect times during and after the fault', () => {
    const times = [100, 200, 300, 400, 500, 600, 700, 800, 900, 5000];
    const seconds = run(60, (s) => {
      if (s === 25) return { reconnectTimes: times.slice(0, 5) };
      if (s === 33) return { reconnectTimes: times.slice(5) }; // back after the fault ended
      if (s === 10 || s === 55) return { reconnectTimes: [99_999] }; // before the fault / long after
      return {};
    });
    const [v] = judgeFaults([window(20, 30)], seconds);
    expect(v!.wsReconnects).toBe(10);
    expect(v!.wsReconnectTimeMs!.max).toBe(5000);
    expect(v!.wsReconnectTimeMs!.p50).toBeGreaterThanOrEqual(500);
    expect(v!.wsReconnectTimeMs!.p50).toBeLessThanOrEqual(600);
    expect(v!.wsReconnectTimeMs!.p95).toBeGreaterThanOrEqual(900);
  });

  test('a fault cut short by the end of the run is not recovered', () => {
    const seconds = run(25, (s) => (s >= 20 ? { errors: 10 } : {}));
    const [v] = judgeFaults([window(20, 26, { interrupted: true })], seconds);
    expect(v).toMatchObject({ interrupted: true, recoveryMs: null, ok: false });
    expect(v!.reason).toMatch(/^not recovered: the run ended during the fault/);
  });

  test('a fault that did not apply cleanly fails whatever the load looked like', () => {
    const [v] = judgeFaults(
      [window(20, 30, { error: 'toxiproxy: 500' })],
      run(60, () => ({})),
    );
    expect(v!.ok).toBe(false);
    expect(v!.reason).toMatch(/^the fault did not apply cleanly \(toxiproxy: 500\); recovered/);
  });

  test('the baseline is the seconds before the first fault, minus the warm-up', () => {
    // Slow first 5 s (cold), then 10 ms; faults at 20 s and 40 s share that baseline.
    const seconds = run(80, (s) => ({ latencyMs: s < 5 ? 2000 : 10 }));
    const windows = [window(20, 25), window(40, 45, { name: 'second' })];
    const cold = judgeFaults(windows, seconds);
    expect(cold[0]!.baselineP99Ms).toBe(2000);
    const warm = judgeFaults(windows, seconds, { warmUpMs: 5_000 });
    expect(warm.map((v) => v.baselineP99Ms)).toEqual([10, 10]);
    expect(warm.map((v) => v.name)).toEqual(['kill-app-1', 'second']);
  });

  test('no fault, no verdict; a fault at the very start has no baseline and judges errors only', () => {
    expect(
      judgeFaults(
        [],
        run(10, () => ({})),
      ),
    ).toEqual([]);
    const [v] = judgeFaults(
      [window(0, 5)],
      run(30, () => ({ latencyMs: 5000 })),
    );
    expect(v).toMatchObject({ baselineP99Ms: null, recoveryMs: 0, ok: true });
  });

  test('verdicts come in the order the faults started; a fault no load overlapped is never a pass', () => {
    const seconds = run(30, () => ({}));
    const verdicts = judgeFaults(
      [window(10, 12, { name: 'later' }), window(-20, -15, { name: 'before' })],
      seconds,
    );
    expect(verdicts.map((v) => v.name)).toEqual(['before', 'later']);
    expect(verdicts[0]).toMatchObject({ requestsInWindow: 0, ok: false });
    expect(verdicts[0]!.reason).toBe(
      'no load was observed during the fault, so nothing says how the users fared',
    );
  });

  test('every verdict fits the summary.json schema, JSON round trip included', () => {
    const validate = new Ajv({ strict: false }).compile(FaultVerdictSchema);
    const seconds = run(60, (s) => (s >= 20 && s < 32 ? { errors: 10, reconnectTimes: [300] } : {}));
    const verdicts = [
      ...judgeFaults([window(20, 30)], seconds),
      ...judgeFaults([window(20, 30, { interrupted: true, error: 'x' })], seconds, {
        errorBudget: { share: 0 },
      }),
      ...judgeFaults(
        [window(0, 5)],
        run(3, () => ({ requests: 0 })),
      ),
    ];
    for (const v of verdicts)
      expect(validate(JSON.parse(JSON.stringify(v))), JSON.stringify(validate.errors)).toBe(true);
  });
});
