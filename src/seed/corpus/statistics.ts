import type { CorpusPost } from './corpus.js';
import { FUNCTION_WORDS, SECOND_LANGUAGE_FUNCTION_WORDS } from './vocabulary.js';

// What the search load needs to know about a corpus to ask it meaningful questions: how many
// posts contain each term (document frequency: a common term's posting list is long, a rare
// one's short), which adjacent word pairs occur (phrase searches that find something), hashtag
// counts, who posts and where (from:/in: filters with something behind them), and the date range
// (before:/after:/on: windows inside the data). Computed by reading the posts once; for a large
// corpus a prefix of a few thousand posts estimates the shape well (statistics of a Zipf corpus
// settle quickly at the head; the tail it reports is what a sample of that size calls rare).

export interface TermCount {
  term: string;
  /** Posts containing it. */
  posts: number;
}

export interface CorpusStatistics {
  posts: number;
  /** Every content term, most frequent first. */
  terms: TermCount[];
  /** Adjacent content-word pairs ("exact phrases"), most frequent first, at most 500. */
  phrases: TermCount[];
  /** Hashtags with '#', most frequent first. */
  hashtags: TermCount[];
  /** Posts per user index, busiest first. */
  users: { userIndex: number; posts: number }[];
  /** Posts per channel index, busiest first. */
  channels: { channelIndex: number; posts: number }[];
  /** First and last post time (ms since the epoch); 0 for an empty corpus. */
  firstAt: number;
  lastAt: number;
}

const STOP = new Set<string>([...FUNCTION_WORDS, ...SECOND_LANGUAGE_FUNCTION_WORDS]);
const WORD = /[\p{L}][\p{L}\p{N}]*/gu;
const MAX_PHRASES = 500;

/** The terms of a message as a search engine sees them: lower-cased words, no links or code. */
export function messageTerms(message: string): string[] {
  const prose = message
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[@#]\S+/g, ' ');
  const out: string[] = [];
  for (const match of prose.toLowerCase().matchAll(WORD)) out.push(match[0]);
  return out;
}

function ranked<K>(counts: Map<K, number>): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
}

export function corpusStatistics(posts: Iterable<CorpusPost>): CorpusStatistics {
  const terms = new Map<string, number>();
  const phrases = new Map<string, number>();
  const hashtags = new Map<string, number>();
  const users = new Map<number, number>();
  const channels = new Map<number, number>();
  let count = 0;
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  for (const post of posts) {
    count++;
    firstAt = Math.min(firstAt, post.createAt);
    lastAt = Math.max(lastAt, post.createAt);
    users.set(post.userIndex, (users.get(post.userIndex) ?? 0) + 1);
    channels.set(post.channelIndex, (channels.get(post.channelIndex) ?? 0) + 1);
    const words = messageTerms(post.message);
    const seenTerms = new Set<string>();
    const seenPhrases = new Set<string>();
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (STOP.has(w)) continue;
      seenTerms.add(w);
      const next = words[i + 1];
      if (next !== undefined && next !== w && !STOP.has(next)) seenPhrases.add(`${w} ${next}`);
    }
    for (const t of seenTerms) terms.set(t, (terms.get(t) ?? 0) + 1);
    for (const p of seenPhrases) phrases.set(p, (phrases.get(p) ?? 0) + 1);
    for (const tag of new Set(post.hashtags)) hashtags.set(tag, (hashtags.get(tag) ?? 0) + 1);
  }
  return {
    posts: count,
    terms: ranked(terms).map(([term, n]) => ({ term, posts: n })),
    phrases: ranked(phrases)
      .slice(0, MAX_PHRASES)
      .map(([term, n]) => ({ term, posts: n })),
    hashtags: ranked(hashtags).map(([term, n]) => ({ term, posts: n })),
    users: ranked(users).map(([userIndex, n]) => ({ userIndex, posts: n })),
    channels: ranked(channels).map(([channelIndex, n]) => ({ channelIndex, posts: n })),
    firstAt: count > 0 ? firstAt : 0,
    lastAt,
  };
}
