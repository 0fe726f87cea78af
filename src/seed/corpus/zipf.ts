import type { Random } from '../../common/seeded-random.js';

// A Zipf sampler: item of rank r (1-based) is drawn with probability ∝ 1 / r^s. Zipf's law is the
// shape of word frequencies in natural text (s ≈ 1) and, with a larger s, of activity across
// channels and users (a few busy ones, a long tail). Cumulative weights and a binary search:
// O(log n) a draw, for a list fixed once.

export class ZipfSampler<T> {
  private readonly cumulative: Float64Array;

  constructor(
    readonly items: readonly T[],
    readonly exponent = 1,
  ) {
    if (items.length === 0) throw new Error('a Zipf sampler needs at least one item');
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    for (let r = 0; r < items.length; r++) {
      total += 1 / (r + 1) ** exponent;
      this.cumulative[r] = total;
    }
    for (let r = 0; r < items.length; r++) this.cumulative[r]! /= total;
  }

  /** A rank, 0-based (0 = most frequent). */
  rank(rng: Random): number {
    const u = rng.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  draw(rng: Random): T {
    return this.items[this.rank(rng)]!;
  }

  /** The probability of rank r (0-based). */
  probability(r: number): number {
    return this.cumulative[r]! - (r > 0 ? this.cumulative[r - 1]! : 0);
  }
}
