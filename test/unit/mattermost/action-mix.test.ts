import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/common/seeded-random.js';
import { ActionMix } from '../../../src/mattermost/actions/action-mix.js';
import {
  LOADTEST_NG_MIX,
  PRODUCTION_MIX,
  USER_ACTION_NAMES,
} from '../../../src/mattermost/actions/catalogue.js';

// The action mix: draws follow the production frequencies, overrides and the allow-list apply,
// and a seed gives the same sequence every time.

describe('action mix', () => {
  it("names load-test-ng's 51 simulcontroller actions at its frequencies (total 15.444)", () => {
    const weights = Object.values(LOADTEST_NG_MIX);
    expect(weights).toHaveLength(51);
    expect(weights.reduce((a, b) => a + (b ?? 0), 0)).toBeCloseTo(15.444, 6);
    const shares = new ActionMix({ base: 'loadtest-ng', fileUploads: true }).shares();
    expect(shares.switch_channel).toBeCloseTo(6.5219 / 15.444, 6);
    expect(shares.typing).toBeUndefined();
    expect(Object.keys(shares)).toHaveLength(51);
  });

  it('draws actions in the production proportions', () => {
    const mix = new ActionMix({ fileUploads: true });
    const rng = seededRandom('mix-test');
    const draws = 400_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < draws; i++) {
      const name = mix.pick(rng);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const total = Object.values(PRODUCTION_MIX).reduce((a, b) => a + (b ?? 0), 0);
    for (const name of USER_ACTION_NAMES) {
      const expected = (PRODUCTION_MIX[name] ?? 0) / total;
      const observed = (counts.get(name) ?? 0) / draws;
      // Within 4 standard deviations of a binomial draw.
      const sd = Math.sqrt((expected * (1 - expected)) / draws);
      expect(Math.abs(observed - expected), name).toBeLessThan(4 * sd + 1e-9);
    }
    // Switch channel is by far the most frequent; relative to create post as in the table.
    expect((counts.get('switch_channel') ?? 0) / (counts.get('create_post') ?? 1)).toBeCloseTo(6.52, 0);
  });

  it('leaves file uploads out without an object store', () => {
    const mix = new ActionMix();
    expect(mix.shares().upload_file).toBeUndefined();
    expect(new ActionMix({ fileUploads: true }).shares().upload_file).toBeGreaterThan(0);
  });

  it('applies weight overrides and the allow-list', () => {
    const mix = new ActionMix({
      weights: { create_post: 3, search_posts: 0 },
      only: ['create_post', 'switch_channel', 'search_posts'],
    });
    const shares = mix.shares();
    expect(Object.keys(shares).sort()).toEqual(['create_post', 'switch_channel']);
    expect(shares.create_post).toBeCloseTo(3 / (3 + 6.52), 10);
    expect(() => new ActionMix({ only: ['search_posts'], weights: { search_posts: 0 } })).toThrow(/empty/);
  });

  it('gives the same sequence for the same seed, another for another seed', () => {
    const mix = new ActionMix();
    const sequence = (seed: string) => {
      const rng = seededRandom(seed);
      return Array.from({ length: 50 }, () => mix.pick(rng));
    };
    expect(sequence('42:0:mix')).toEqual(sequence('42:0:mix'));
    expect(sequence('42:0:mix')).not.toEqual(sequence('42:1:mix'));
  });
});

describe('seeded random', () => {
  it('is uniform enough and stays in range', () => {
    const rng = seededRandom(1);
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next();
      if (x < 0 || x >= 1) outside += 1;
      else buckets[Math.floor(x * 10)] += 1;
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
    expect(rng.pick([])).toBeUndefined();
    expect(rng.int(1)).toBe(0);
  });
});
