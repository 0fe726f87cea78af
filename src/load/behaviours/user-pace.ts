import type { Random } from '../../common/seeded-random.js';

// How fast a simulated user acts in the closed model: Mattermost's idle time between actions,
// uniform in [min, 2·avg − min) and scaled by the user's rate (a higher rate = a slower user),
// with rates assigned in the shares Mattermost's load tool uses.

export interface IdleTime {
  minMs: number;
  avgMs: number;
}

export interface RateClass {
  /** Multiplier of the idle time. */
  rate: number;
  /** Share of users with this rate (the shares should add up to 1). */
  share: number;
}

export const DEFAULT_IDLE: IdleTime = { minMs: 1_000, avgMs: 20_000 };

/** 5 % at 1.0, 10 % at 2, 15 % at 3, 40 % at 6, 30 % at 30. */
export const DEFAULT_RATES: readonly RateClass[] = [
  { rate: 1, share: 0.05 },
  { rate: 2, share: 0.1 },
  { rate: 3, share: 0.15 },
  { rate: 6, share: 0.4 },
  { rate: 30, share: 0.3 },
];

/** One idle time in ms: uniform in [min, 2·avg − min), times `rate`. */
export function idleTimeMs(rng: Random, idle: IdleTime, rate: number): number {
  const width = Math.max(0, 2 * (idle.avgMs - idle.minMs));
  return (idle.minMs + rng.next() * width) * rate;
}

const GOLDEN = 0.6180339887498949;

/**
 * The rate of user `vu`. A Weyl sequence (vu · φ⁻¹ + offset, mod 1) spreads consecutive VUs over
 * the classes, so that any number of users gets close to the exact shares (a random draw per
 * user would leave 20 users with no slow one fairly often); `offset` comes from the run's seed.
 */
export function rateOf(vu: number, rates: readonly RateClass[] = DEFAULT_RATES, offset = 0): number {
  if (rates.length === 0) return 1;
  const total = rates.reduce((sum, r) => sum + r.share, 0);
  const u = (((offset + vu * GOLDEN) % 1) + 1) % 1;
  let cumulative = 0;
  for (const r of rates) {
    cumulative += r.share / total;
    if (u < cumulative) return r.rate;
  }
  return rates[rates.length - 1]!.rate;
}
