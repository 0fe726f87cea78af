import { describe, expect, it } from 'vitest';
import { REFERENCE_TIERS, recommendTier, tierFor } from '../../../src/capacity/tiers.js';

describe('reference tier choice', () => {
  it('picks the smallest published tier whose user count covers the target', () => {
    expect(tierFor(1)?.users).toBe(200);
    expect(tierFor(200)?.users).toBe(200);
    expect(tierFor(201)?.users).toBe(2_000);
    expect(tierFor(15_000)?.users).toBe(15_000);
    expect(tierFor(15_001)?.users).toBe(30_000);
    expect(tierFor(200_000)?.users).toBe(200_000);
    expect(tierFor(200_001)).toBeUndefined();
  });

  it('the tiers are in ascending order (the choice relies on it)', () => {
    const users = REFERENCE_TIERS.map((t) => t.users);
    expect(users).toEqual([...users].sort((a, b) => a - b));
  });

  it('states the headroom of this stack over the target, with the hardware, as guidance', () => {
    const r = recommendTier(1_500, 1_725);
    expect(r.tier?.users).toBe(2_000);
    expect(r.headroom).toBeCloseTo(0.15, 3);
    expect(r.text).toContain('2,000-user tier');
    expect(r.text).toContain('2 × c7i.large');
    expect(r.text).toContain('db.r7g.large');
    expect(r.text).toContain('15 % headroom');
    expect(r.text).toMatch(/guidance, not a promise/);
  });

  it('says when the stack falls short of the target', () => {
    const r = recommendTier(2_000, 1_500);
    expect(r.headroom).toBeCloseTo(-0.25, 3);
    expect(r.text).toContain('25 % short of the target');
  });

  it('without a target, uses the measured figure; above the largest tier, says so', () => {
    expect(recommendTier(undefined, 180)).toMatchObject({
      targetGiven: false,
      targetUsers: 180,
      headroom: null,
    });
    expect(recommendTier(undefined, 180).tier?.users).toBe(200);
    const big = recommendTier(250_000, null);
    expect(big.tier).toBeNull();
    expect(big.text).toContain('no published reference architecture is large enough');
  });
});
