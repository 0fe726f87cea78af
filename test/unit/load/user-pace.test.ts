import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/common/seeded-random.js';
import { DEFAULT_IDLE, DEFAULT_RATES, idleTimeMs, rateOf } from '../../../src/load/behaviours/user-pace.js';

// Idle time between actions and the users' rate classes (Mattermost's load tool figures).

describe('idle time', () => {
  it('is uniform in [min, 2·avg − min) times the rate', () => {
    const rng = seededRandom('idle');
    for (const rate of [1, 6, 30]) {
      let sum = 0;
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      const n = 50_000;
      for (let i = 0; i < n; i++) {
        const ms = idleTimeMs(rng, DEFAULT_IDLE, rate);
        sum += ms;
        min = Math.min(min, ms);
        max = Math.max(max, ms);
      }
      expect(min).toBeGreaterThanOrEqual(1_000 * rate);
      expect(max).toBeLessThan(39_000 * rate);
      expect(min).toBeLessThan(1_100 * rate);
      expect(max).toBeGreaterThan(38_900 * rate);
      expect(sum / n / rate).toBeGreaterThan(19_800);
      expect(sum / n / rate).toBeLessThan(20_200);
    }
  });

  it('takes a configured idle time (scenarios shorten it for tests)', () => {
    const rng = seededRandom('fast');
    for (let i = 0; i < 1000; i++) {
      const ms = idleTimeMs(rng, { minMs: 10, avgMs: 20 }, 2);
      expect(ms).toBeGreaterThanOrEqual(20);
      expect(ms).toBeLessThan(60);
    }
    expect(idleTimeMs(rng, { minMs: 50, avgMs: 50 }, 1)).toBe(50);
  });
});

describe('rate classes', () => {
  it('gives 5 % of users 1.0, 10 % 2, 15 % 3, 40 % 6 and 30 % 30', () => {
    for (const users of [1000, 20_000]) {
      const counts = new Map<number, number>();
      for (let vu = 0; vu < users; vu++) {
        const rate = rateOf(vu, DEFAULT_RATES, 0.37);
        counts.set(rate, (counts.get(rate) ?? 0) + 1);
      }
      for (const { rate, share } of DEFAULT_RATES) {
        expect(Math.abs((counts.get(rate) ?? 0) / users - share), `rate ${rate}`).toBeLessThan(0.005);
      }
    }
  });

  it('spreads even a few users over the classes', () => {
    const rates = Array.from({ length: 20 }, (_, vu) => rateOf(vu));
    const count = (r: number) => rates.filter((x) => x === r).length;
    expect(count(6)).toBeGreaterThanOrEqual(7);
    expect(count(6)).toBeLessThanOrEqual(9);
    expect(count(30)).toBeGreaterThanOrEqual(5);
    expect(count(30)).toBeLessThanOrEqual(7);
    expect(count(1)).toBeGreaterThanOrEqual(1);
  });

  it('is the same for a VU every time, and follows custom classes', () => {
    expect(rateOf(17, DEFAULT_RATES, 0.5)).toBe(rateOf(17, DEFAULT_RATES, 0.5));
    expect(rateOf(3, [{ rate: 2, share: 1 }])).toBe(2);
    expect(rateOf(3, [])).toBe(1);
  });
});
