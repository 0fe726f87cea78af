import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/common/seeded-random.js';
import { attachmentBytes } from '../../../src/seed/corpus/attachments.js';
import { type CorpusOptions, type CorpusPost, createCorpus } from '../../../src/seed/corpus/corpus.js';
import { composeMessage } from '../../../src/seed/corpus/message.js';
import { corpusStatistics, messageTerms } from '../../../src/seed/corpus/statistics.js';

// The realistic corpus: reproducible for a seed, Zipf-shaped words, activity skewed across
// channels and users, and every kind of content the issue asks for actually present.

const usernames = Array.from({ length: 200 }, (_, i) => `user${i}`);
const options: CorpusOptions = { posts: 8_000, channels: 40, users: 200, usernames };
const corpus = (seed: string, o = options): CorpusPost[] => [...createCorpus(seed, o)];
const posts = corpus('unit');
const stats = corpusStatistics(posts);

describe('corpus', () => {
  it('is the same for the same seed and different for another', () => {
    expect(corpus('unit').slice(0, 500)).toEqual(posts.slice(0, 500));
    const other = corpus('other').slice(0, 50);
    expect(other.map((p) => p.message)).not.toEqual(posts.slice(0, 50).map((p) => p.message));
  });

  it('has a Zipf-like vocabulary: frequency falls with rank, roughly as 1/rank', () => {
    const f = (rank: number) => stats.terms[rank - 1]!.posts;
    // Rank 1 vs 10 vs 100: about ×10 each under Zipf's law (s ≈ 1); allow a wide band.
    expect(f(1) / f(10)).toBeGreaterThan(4);
    expect(f(1) / f(10)).toBeLessThan(25);
    expect(f(10) / f(100)).toBeGreaterThan(4);
    expect(f(10) / f(100)).toBeLessThan(25);
    // A long tail: many terms occur in a handful of posts.
    expect(stats.terms.filter((t) => t.posts <= 10).length).toBeGreaterThan(20);
    // Stop words are never counted as terms.
    expect(stats.terms.map((t) => t.term)).not.toContain('the');
  });

  it('skews activity: a few busy channels and users, a long tail', () => {
    const top = stats.channels.slice(0, 4).reduce((n, c) => n + c.posts, 0);
    expect(top / posts.length).toBeGreaterThan(0.35); // 10 % of channels carry over a third
    const quiet = stats.channels.at(-1)!.posts;
    expect(stats.channels[0]!.posts / Math.max(1, quiet)).toBeGreaterThan(15);
    expect(stats.users[0]!.posts / stats.users.at(-1)!.posts).toBeGreaterThan(10);
  });

  it('spreads timestamps over months in order', () => {
    expect(stats.lastAt - stats.firstAt).toBeGreaterThan(150 * 86_400_000);
    for (let i = 1; i < posts.length; i++)
      expect(posts[i]!.createAt).toBeGreaterThanOrEqual(posts[i - 1]!.createAt);
  });

  it('builds threads in the channel of their root, and carries every kind of content', () => {
    const replies = posts.filter((p) => p.rootIndex !== undefined);
    expect(replies.length / posts.length).toBeGreaterThan(0.12);
    for (const r of replies) {
      const root = posts[r.rootIndex!]!;
      expect(root.channelIndex).toBe(r.channelIndex);
      expect(root.rootIndex).toBeUndefined();
      expect(root.index).toBeLessThan(r.index);
    }
    const share = (pred: (p: CorpusPost) => boolean) => posts.filter(pred).length / posts.length;
    expect(share((p) => p.hashtags.length > 0)).toBeGreaterThan(0.04);
    expect(share((p) => p.mentions.length > 0)).toBeGreaterThan(0.03);
    expect(share((p) => p.links.length > 0)).toBeGreaterThan(0.02);
    expect(share((p) => p.hasCode)).toBeGreaterThan(0.01);
    expect(share((p) => p.reactions.length > 0)).toBeGreaterThan(0.1);
    expect(share((p) => p.edit !== undefined)).toBeGreaterThan(0.01);
    expect(share((p) => p.attachments.length > 0)).toBeGreaterThan(0.015);
    for (const p of posts) {
      for (const link of p.links) expect(link).toMatch(/^https:\/\/[a-z.]*example\.(com|invalid)\//);
      for (const tag of p.hashtags) expect(p.message).toContain(tag);
      for (const name of p.mentions) expect(p.message).toContain(`@${name}`);
    }
  });

  it('keeps authors to the members of a channel when it knows them', () => {
    const membersOf = (c: number) => [c, c + 1, c + 2];
    for (const p of corpus('members', { ...options, posts: 500, membersOf }))
      expect(membersOf(p.channelIndex)).toContain(p.userIndex);
  });

  it('writes attachments of realistic types whose bytes are reproducible', () => {
    const files = posts.flatMap((p) => p.attachments);
    expect(new Set(files.map((f) => f.extension)).size).toBeGreaterThan(4);
    expect(Math.max(...files.map((f) => f.size))).toBeGreaterThan(1e6);
    const png = files.find((f) => f.extension === 'png' && f.size < 200_000)!;
    const bytes = attachmentBytes(png);
    expect(bytes.length).toBe(png.size);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(attachmentBytes(png).equals(bytes)).toBe(true);
  });

  it('writes a second language when asked', () => {
    const rng = seededRandom('de');
    const texts = Array.from(
      { length: 200 },
      () => composeMessage(rng, { usernames: [], secondLanguageShare: 1 }).message,
    );
    expect(texts.some((t) => messageTerms(t).includes('danke') || messageTerms(t).includes('heute'))).toBe(
      true,
    );
  });
});
