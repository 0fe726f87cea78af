import { describe, expect, it } from 'vitest';
import { FeedbackLoop, type LoopSettings } from '../../../src/capacity/feedback-loop.js';
import { loopSettingsProblem } from '../../../src/load/capacity-section.js';

// The feedback loop's decisions with a fake clock: the caller says which second it is, what was
// breached and how many users are active; a simulated server breaches above a capacity.

const base: LoopSettings = { stepUsers: 8, restS: 2, settleS: 30, maxUsers: 400 };

/** Runs the loop against a server that breaches whenever more than `capacity` users are active. */
function simulate(settings: LoopSettings, breachesAt: (t: number, users: number) => boolean, seconds = 600) {
  const loop = new FeedbackLoop(settings);
  const trace: { t: number; users: number; kind: string }[] = [];
  let active = 0;
  for (let t = 1; t <= seconds; t++) {
    const decision = loop.next({
      t,
      breaches: breachesAt(t, active) ? ['avg-latency'] : [],
      harnessSaturated: false,
      activeUsers: active,
    });
    trace.push({ t, users: active, kind: decision.kind });
    active = decision.target; // users follow at once in this fake
    if (decision.kind === 'stop') break;
  }
  return { loop, trace };
}

describe('capacity feedback loop', () => {
  it('adds a step every rest period while nothing breaches, never above the maximum', () => {
    const { trace } = simulate({ ...base, maxUsers: 20 }, () => false, 12);
    const adds = trace.filter((s) => s.kind === 'add').map((s) => s.t);
    expect(adds).toEqual([1, 3, 5]); // rest 2 s between changes; the third add stops at 20
    expect(Math.max(...trace.map((s) => s.users))).toBeLessThanOrEqual(20);
  });

  it('removes a step in every breached second', () => {
    const loop = new FeedbackLoop(base);
    let target = 0;
    for (let t = 1; t <= 20; t++)
      target = loop.next({ t, breaches: [], harnessSaturated: false, activeUsers: target }).target;
    expect(target).toBe(80);
    const after = [21, 22, 23].map((t) =>
      loop.next({ t, breaches: ['p99-latency'], harnessSaturated: false, activeUsers: 80 }),
    );
    expect(after.map((d) => [d.kind, d.target])).toEqual([
      ['remove', 72],
      ['remove', 64],
      ['remove', 56],
    ]);
    // Rest counts from the last breach: no add one second later, one two seconds later.
    expect(loop.next({ t: 24, breaches: [], harnessSaturated: false, activeUsers: 56 }).kind).toBe('hold');
    expect(loop.next({ t: 25, breaches: [], harnessSaturated: false, activeUsers: 56 }).kind).toBe('add');
  });

  it('settles around the capacity and reports the mean over the settle window', () => {
    const { loop, trace } = simulate(base, (_t, users) => users > 180);
    const outcome = loop.outcome!;
    expect(outcome.reason).toBe('settled');
    expect(outcome.supportedUsers).toBeGreaterThanOrEqual(160);
    expect(outcome.supportedUsers).toBeLessThanOrEqual(188);
    expect(Math.abs(outcome.slope!)).toBeLessThan(0.2);
    // It stops one settle window after the first breach at the earliest.
    const firstBreach = loop.firstBreachAtS!;
    expect(outcome.settledAtS! - firstBreach).toBeGreaterThanOrEqual(30);
    expect(trace.at(-1)!.kind).toBe('stop');
  });

  it('does not settle while the capacity keeps moving (slope above the limit)', () => {
    // The server's capacity grows by 1 user per second: the loop follows it and never settles.
    const { loop } = simulate({ ...base, maxDurationS: 300 }, (t, users) => users > 50 + t, 400);
    expect(loop.outcome!.reason).toBe('max-duration');
    expect(loop.outcome!.slope!).toBeGreaterThan(0.2);
  });

  it('stops at the maximum when nothing ever breaches: a lower bound', () => {
    const { loop } = simulate({ ...base, maxUsers: 40, settleS: 10 }, () => false);
    expect(loop.outcome).toMatchObject({ reason: 'max-users', supportedUsers: 40 });
  });

  it('stops as harness-bound when the harness is saturated in half of the last seconds, before any breach', () => {
    const loop = new FeedbackLoop(base);
    let target = 0;
    for (let t = 1; t <= 10; t++)
      target = loop.next({ t, breaches: [], harnessSaturated: false, activeUsers: target }).target;
    // A single stalled second is noise: the loop holds, then goes on.
    expect(loop.next({ t: 11, breaches: [], harnessSaturated: true, activeUsers: target }).kind).toBe('hold');
    expect(loop.next({ t: 12, breaches: [], harnessSaturated: false, activeUsers: target }).kind).toBe('add');
    // Breaches in saturated seconds are the harness's: no removal.
    let last = loop.next({ t: 13, breaches: ['avg-latency'], harnessSaturated: true, activeUsers: 48 });
    expect(last.kind).toBe('hold');
    for (let t = 14; t <= 16 && last.kind !== 'stop'; t++)
      last = loop.next({ t, breaches: [], harnessSaturated: true, activeUsers: 48 });
    expect(last).toMatchObject({ kind: 'stop', reason: 'harness-bound' });
    expect(loop.outcome).toMatchObject({ reason: 'harness-bound', supportedUsers: null, harnessBoundAt: 40 });
  });

  it('refuses settings that cannot run', () => {
    expect(loopSettingsProblem({ ...base, maxUsers: 4 })).toMatch(
      /maximum users \(4\) must be at least one step \(8\)/,
    );
    expect(loopSettingsProblem({ ...base, stepUsers: 0 })).toMatch(/step must be/);
    expect(loopSettingsProblem({ ...base, settleS: 0 })).toMatch(/settle window/);
    expect(() => new FeedbackLoop({ ...base, maxUsers: 4 })).toThrow(RangeError);
    expect(loopSettingsProblem(base)).toBeUndefined();
  });
});
