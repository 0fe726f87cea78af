import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, SettleWindow } from '../../../src/capacity/settle.js';

describe('least-squares slope', () => {
  it('is the slope of an exact line', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((t) => ({ t, users: 10 + 0.5 * t })))).toBeCloseTo(0.5, 10);
    expect(leastSquaresSlope([0, 1, 2, 3].map((t) => ({ t, users: 40 - 2 * t })))).toBeCloseTo(-2, 10);
  });

  it('fits noisy points: a zig-zag around a level has slope ~0', () => {
    const points = Array.from({ length: 30 }, (_, t) => ({ t, users: t % 2 === 0 ? 36 : 40 }));
    expect(Math.abs(leastSquaresSlope(points))).toBeLessThan(0.02);
  });

  it('is 0 for fewer than two points or one time', () => {
    expect(leastSquaresSlope([])).toBe(0);
    expect(leastSquaresSlope([{ t: 1, users: 5 }])).toBe(0);
    expect(
      leastSquaresSlope([
        { t: 1, users: 5 },
        { t: 1, users: 9 },
      ]),
    ).toBe(0);
  });
});

describe('settle window', () => {
  it('does not settle before the samples span the window, even when flat', () => {
    const w = new SettleWindow(20);
    for (let t = 0; t < 20; t++) w.add(t, 40);
    expect(w.state()).toMatchObject({ full: false, settled: false, mean: 40 });
    w.add(20, 40);
    expect(w.state()).toMatchObject({ full: true, settled: true, mean: 40, slope: 0 });
  });

  it('does not settle while the count still climbs faster than the limit', () => {
    const w = new SettleWindow(20, 0.2);
    for (let t = 0; t <= 40; t++) w.add(t, 4 * Math.floor(t / 10)); // +0.4 users/s
    const state = w.state();
    expect(state.full).toBe(true);
    expect(state.slope).toBeGreaterThan(0.2);
    expect(state.settled).toBe(false);
  });

  it('keeps only the window: the mean is over the last window, not the ramp before it', () => {
    const w = new SettleWindow(10);
    for (let t = 0; t <= 30; t++) w.add(t, t < 15 ? t * 4 : t % 2 === 0 ? 36 : 40);
    const state = w.state();
    expect(state.settled).toBe(true);
    expect(state.mean).toBeGreaterThan(36);
    expect(state.mean).toBeLessThan(40);
    expect(state.samples).toBe(11);
  });

  it('rejects an empty window', () => {
    expect(() => new SettleWindow(0)).toThrow(/longer than 0/);
  });
});
