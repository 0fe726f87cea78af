import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { FaultVerdictSchema } from '../../../src/summary/summary-schema.js';
import type { CallsSecond, SecondObservation } from '../../../src/verdict/fault-observations.js';
import { type JudgedFaultWindow, judgeFaults } from '../../../src/verdict/faults.js';

// The calls part of a fault verdict: a WebSocket cut of a call's participants either leaves
// their media sessions in place (they reconnect), or outlasts the reconnect window (sessions
// torn down, joined again), or leaves some of them without media (a failure).

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** 60 s of healthy HTTP load; `calls(s)` says what second s of the call looked like. */
function run(calls: (s: number) => CallsSecond | undefined): SecondObservation[] {
  return Array.from({ length: 60 }, (_, s) => {
    const second: SecondObservation = {
      startedAt: T0 + s * 1000,
      endedAt: T0 + (s + 1) * 1000,
      requests: 10,
      errors: 0,
      errorRate: 0,
      p99Ms: 10,
      latency: null,
      wsReconnects: 0,
      wsReconnectTime: null,
    };
    const c = calls(s);
    return c ? { ...second, calls: c } : second;
  });
}

const steady: CallsSecond = {
  participants: 4,
  audioPackets: 400,
  reconnects: 0,
  rejoins: 0,
  mosP50: 4.4,
  jitterP95Ms: 2,
  lossP95: 0,
};
const cut: JudgedFaultWindow = {
  name: 'ws-drop',
  kind: 'partition',
  target: 'users-lb',
  startedAt: at(20),
  endedAt: at(25),
  recoveryFrom: 'end',
};
const validate = new Ajv({ strict: false }).compile(FaultVerdictSchema);

describe('fault verdicts with calls', () => {
  test('reconnected inside the window, audio throughout: sessions kept', () => {
    const seconds = run((s) => (s === 26 ? { ...steady, reconnects: 4 } : steady));
    const [v] = judgeFaults([cut], seconds);
    expect(v!.calls).toMatchObject({
      outcome: 'kept',
      participantsBefore: 4,
      participantsAfter: 4,
      reconnects: 4,
      rejoins: 0,
      secondsWithoutAudio: 0,
    });
    expect(v!.ok).toBe(true);
    expect(v!.reason).toContain('calls: 4 reconnect(s), media sessions kept');
    expect(validate(v)).toBe(true);
  });

  test('past the window: torn down, silent for a while, rejoined', () => {
    const seconds = run((s) => {
      if (s >= 30 && s < 34) return { ...steady, participants: 0, audioPackets: 0 };
      if (s === 35) return { ...steady, reconnects: 4, rejoins: 4 };
      return steady;
    });
    const [v] = judgeFaults([{ ...cut, endedAt: at(35) }], seconds);
    expect(v!.calls).toMatchObject({
      outcome: 'rejoined',
      rejoins: 4,
      reconnects: 4,
      secondsWithoutAudio: 4,
    });
    expect(v!.ok).toBe(true);
    expect(v!.reason).toContain('sessions torn down and rejoined (4 rejoin(s)');
  });

  test('a participant never gets media back: the fault fails even though HTTP recovered', () => {
    const seconds = run((s) => (s >= 22 ? { ...steady, participants: 3 } : steady));
    const [v] = judgeFaults([cut], seconds);
    expect(v!.calls).toMatchObject({ outcome: 'lost', participantsBefore: 4, participantsAfter: 3 });
    expect(v!.recoveryMs).not.toBeNull();
    expect(v!.ok).toBe(false);
    expect(v!.reason).toContain('participants lost');
  });

  test('an impaired media path: MOS, jitter and loss before and during the fault', () => {
    const seconds = run((s) =>
      s >= 20 && s < 25 ? { ...steady, mosP50: 3.1, jitterP95Ms: 40, lossP95: 6 } : steady,
    );
    const [v] = judgeFaults([cut], seconds);
    expect(v!.calls!.media).toEqual({
      mosBefore: 4.4,
      mosDuring: 3.1,
      jitterBeforeMs: 2,
      jitterDuringMs: 40,
      lossBeforePct: 0,
      lossDuringPct: 6,
    });
    expect(v!.calls!.outcome).toBe('unaffected');
    expect(v!.reason).toContain('MOS 4.40 before, 3.10 during');
    expect(validate(v)).toBe(true);
  });

  test('nothing happened to the calls: unaffected; a run without calls has no calls part', () => {
    expect(
      judgeFaults(
        [cut],
        run(() => steady),
      )[0]!.calls,
    ).toMatchObject({ outcome: 'unaffected' });
    expect(
      judgeFaults(
        [cut],
        run(() => undefined),
      )[0]!,
    ).not.toHaveProperty('calls');
  });
});
