import { describe, expect, it } from 'vitest';
import { constantArrivals, rampingArrivals } from '../../../src/load/executors/arrival-schedule.js';
import { rampingVuSteps } from '../../../src/load/executors/ramping-vus.js';

/**
 * Iterations per second, counting second s as (s, s+1]: ramping-arrival-rate starts iteration n
 * when the rate's integral reaches n, so a second's last iteration falls on its end (k6 too).
 */
const perSecond = (offsets: number[], seconds: number) => {
  const counts = new Array<number>(seconds).fill(0);
  for (const t of offsets) {
    const second = Math.max(0, Math.ceil(t / 1000 - 1e-6) - 1);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return counts;
};

describe('constantArrivals', () => {
  it('starts at 0 and spaces iterations by timeUnit / rate, all before the end', () => {
    const offsets = [...constantArrivals(100, 1000, 2000)];
    expect(offsets).toHaveLength(200);
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBe(10);
    expect(offsets.at(-1)).toBe(1990);
  });

  it('does not drift on periods that are not whole milliseconds', () => {
    const offsets = [...constantArrivals(3, 1000, 60_000)];
    expect(offsets).toHaveLength(180);
    expect(offsets[3]).toBe(1000);
    expect(offsets.at(-1)).toBeCloseTo(59_666.667, 3);
  });

  it('reads rate per timeUnit', () => {
    expect([...constantArrivals(30, 60_000, 60_000)]).toHaveLength(30);
  });
});

describe('rampingArrivals', () => {
  it('follows the integral of a linear ramp', () => {
    // 0 → 100/s over 10 s: 500 iterations, per second 5, 15, … 95.
    const offsets = [...rampingArrivals(0, 1000, [{ durationMs: 10_000, target: 100 }])];
    expect(offsets).toHaveLength(500);
    expect(perSecond(offsets, 10)).toEqual([5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
    // n-th iteration at sqrt(2 n d / rate): the first at sqrt(2 × 1 × 10 s / 100 per s) ≈ 447 ms.
    expect(offsets[0]).toBeCloseTo(447.21, 1);
    expect(offsets.at(-1)).toBeCloseTo(10_000, 6);
  });

  it('holds, ramps down and jumps with a zero-length stage', () => {
    const offsets = [
      ...rampingArrivals(50, 1000, [
        { durationMs: 2000, target: 50 },
        { durationMs: 0, target: 200 },
        { durationMs: 1000, target: 200 },
        { durationMs: 2000, target: 0 },
      ]),
    ];
    expect(offsets).toHaveLength(100 + 200 + 200);
    expect(perSecond(offsets, 5)).toEqual([50, 50, 200, 150, 50]);
    for (let i = 1; i < offsets.length; i++)
      expect(offsets[i]).toBeGreaterThanOrEqual(offsets[i - 1] as number);
  });

  it('starts nothing during a stage at rate 0', () => {
    const offsets = [
      ...rampingArrivals(0, 1000, [
        { durationMs: 1000, target: 0 },
        { durationMs: 1000, target: 20 },
      ]),
    ];
    expect(offsets).toHaveLength(10);
    expect(Math.min(...offsets)).toBeGreaterThan(1000);
  });

  it('reads startRate and targets per timeUnit', () => {
    expect([...rampingArrivals(60, 60_000, [{ durationMs: 120_000, target: 60 }])]).toHaveLength(120);
  });
});

describe('rampingVuSteps', () => {
  it('adds one VU at a time, the k-th at stageStart + d·k/Δ (k6)', () => {
    expect(rampingVuSteps(0, [{ durationMs: 10_000, target: 10 }])).toEqual([
      { atMs: 0, vus: 0 },
      ...Array.from({ length: 10 }, (_, k) => ({ atMs: (k + 1) * 1000, vus: k + 1 })),
    ]);
  });

  it('ramps down symmetrically and jumps on a zero-length stage', () => {
    expect(
      rampingVuSteps(2, [
        { durationMs: 1000, target: 2 },
        { durationMs: 0, target: 6 },
        { durationMs: 2000, target: 2 },
      ]),
    ).toEqual([
      { atMs: 0, vus: 2 },
      { atMs: 1000, vus: 6 },
      { atMs: 1500, vus: 5 },
      { atMs: 2000, vus: 4 },
      { atMs: 2500, vus: 3 },
      { atMs: 3000, vus: 2 },
    ]);
  });
});
