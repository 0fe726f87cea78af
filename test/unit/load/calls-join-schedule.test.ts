import { describe, expect, test } from 'vitest';
import { participantLabel, planParticipants } from '../../../src/load/calls/join-schedule.js';

// Joins spread evenly over the join window, all calls filling up together; roles per call.

describe('Calls join schedule', () => {
  const plan = planParticipants({
    count: 2,
    participantsPerCall: 4,
    speakersPerCall: 2,
    screenSharersPerCall: 1,
    joinWindowMs: 8_000,
  });

  test('evenly staggered over the window, interleaved across calls', () => {
    expect(plan.map((p) => p.joinAtMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]);
    expect(plan.slice(0, 4).map(participantLabel)).toEqual(['c0p0', 'c1p0', 'c0p1', 'c1p1']);
    // Every participant is a different seeded account.
    expect(new Set(plan.map((p) => p.user)).size).toBe(8);
  });

  test('roles: the first speakers speak, the last shares its screen', () => {
    for (const call of [0, 1]) {
      const inCall = plan.filter((p) => p.call === call).sort((a, b) => a.index - b.index);
      expect(inCall.map((p) => p.speaks)).toEqual([true, true, false, false]);
      expect(inCall.map((p) => p.sharesScreen)).toEqual([false, false, false, true]);
    }
  });

  test('no window: everyone at once; one participant: at 0', () => {
    const burst = planParticipants({
      count: 3,
      participantsPerCall: 2,
      speakersPerCall: 0,
      screenSharersPerCall: 0,
      joinWindowMs: 0,
    });
    expect(burst.every((p) => p.joinAtMs === 0)).toBe(true);
    const single = planParticipants({
      count: 1,
      participantsPerCall: 1,
      speakersPerCall: 1,
      screenSharersPerCall: 1,
      joinWindowMs: 5_000,
    });
    expect(single).toEqual([expect.objectContaining({ joinAtMs: 0, speaks: true, sharesScreen: true })]);
  });
});
