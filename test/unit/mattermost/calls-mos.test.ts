import { describe, expect, test } from 'vitest';
import { estimateMos, rFactor } from '../../../src/mattermost/calls/mos.js';

// The E-model estimate: a clean LAN call scores near the model's ceiling, and every impairment
// (latency, jitter, loss) lowers it, down to the floor of 1.

describe('estimated MOS', () => {
  test('a clean LAN call is near the ceiling', () => {
    const mos = estimateMos({ rttMs: 1, jitterMs: 0.5, lossPercent: 0 });
    expect(mos).toBeGreaterThan(4.35);
    expect(mos).toBeLessThanOrEqual(4.5);
  });

  test('the formula: Le = RTT/2 + 2·jitter + 10, R = 93.2 − Le/40 − 2.5·loss%', () => {
    expect(rFactor({ rttMs: 100, jitterMs: 10, lossPercent: 2 })).toBeCloseTo(93.2 - 80 / 40 - 5, 6);
    // Above 160 ms effective latency the steeper branch applies.
    expect(rFactor({ rttMs: 300, jitterMs: 20, lossPercent: 0 })).toBeCloseTo(93.2 - (200 - 120) / 10, 6);
  });

  test('loss, jitter and latency each lower the score', () => {
    const clean = estimateMos({ rttMs: 20, jitterMs: 2, lossPercent: 0 });
    expect(estimateMos({ rttMs: 20, jitterMs: 2, lossPercent: 3 })).toBeLessThan(clean);
    expect(estimateMos({ rttMs: 20, jitterMs: 60, lossPercent: 0 })).toBeLessThan(clean);
    expect(estimateMos({ rttMs: 600, jitterMs: 2, lossPercent: 0 })).toBeLessThan(clean);
    // 1 % loss costs a noticeable step; 10 % makes the call poor.
    expect(clean - estimateMos({ rttMs: 20, jitterMs: 2, lossPercent: 1 })).toBeGreaterThan(0.05);
    expect(estimateMos({ rttMs: 20, jitterMs: 2, lossPercent: 10 })).toBeLessThan(3.7);
  });

  test('clamped to 1..4.5 whatever goes in', () => {
    expect(estimateMos({ rttMs: 5_000, jitterMs: 1_000, lossPercent: 100 })).toBe(1);
    expect(estimateMos({ rttMs: -5, jitterMs: -1, lossPercent: -3 })).toBeLessThanOrEqual(4.5);
  });
});
