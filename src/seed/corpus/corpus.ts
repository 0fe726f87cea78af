import { type Random, seededRandom } from '../../common/seeded-random.js';
import { type CorpusAttachment, corpusAttachment } from './attachments.js';
import { composeMessage } from './message.js';
import { EMOJI } from './vocabulary.js';
import { ZipfSampler } from './zipf.js';

// The realistic corpus: a reproducible stream of posts for a workspace of `channels` channels and
// `users` users. Activity is skewed as in real workspaces — channels and authors are drawn by Zipf
// rank, so a few channels carry most of the traffic and most have a long quiet tail — replies join
// recent threads of their channel, a share of posts carry reactions, edits and attachments, and
// timestamps run forward over `months` months. Each post draws from its own random stream
// (`<seed>:<index>`), so post k is the same whatever came before it in a consumer's loop, and the
// same seed always yields the same corpus. Seeders (the API seeder's post text, the bulk importer's
// archive) and the search load (statistics.ts) all read from here.

export interface CorpusOptions {
  posts: number;
  channels: number;
  users: number;
  /** Share of posts that reply to a recent thread of their channel. Default 0.2. */
  replyShare?: number;
  /** First post's time (ms since the epoch). Default 2025-01-01T00:00:00Z. */
  start?: number;
  /** Months the posts span. Default 6. */
  months?: number;
  /** Zipf exponent of channel activity (higher: more concentrated). Default 1.1. */
  channelExponent?: number;
  /** Zipf exponent of author activity. Default 0.9. */
  userExponent?: number;
  /** Share of posts with reactions. Default 0.15. */
  reactionShare?: number;
  /** Share of posts edited after posting. Default 0.03. */
  editShare?: number;
  /** Share of posts with file attachments. Default 0.03. */
  attachmentShare?: number;
  /** Share of posts in the second language (German). Default 0. */
  secondLanguageShare?: number;
  /** Usernames by user index, for @mentions; default none (no mentions). */
  usernames?: readonly string[];
  /** Members (user indexes) of a channel: authors and reactors are drawn from them when given. */
  membersOf?: (channelIndex: number) => readonly number[];
}

export interface CorpusReaction {
  userIndex: number;
  emoji: string;
  createAt: number;
}

export interface CorpusPost {
  index: number;
  channelIndex: number;
  userIndex: number;
  createAt: number;
  message: string;
  /** The thread's root (index of an earlier post of the same channel); absent for a root. */
  rootIndex?: number;
  reactions: CorpusReaction[];
  hashtags: string[];
  mentions: string[];
  links: string[];
  hasCode: boolean;
  attachments: CorpusAttachment[];
  /** Set when the post was edited: the text after the edit, and when. */
  edit?: { message: string; editAt: number };
}

export const CORPUS_DEFAULTS = {
  replyShare: 0.2,
  start: Date.UTC(2025, 0, 1),
  months: 6,
  channelExponent: 1.1,
  userExponent: 0.9,
  reactionShare: 0.15,
  editShare: 0.03,
  attachmentShare: 0.03,
  secondLanguageShare: 0,
} as const;

const MONTH_MS = 30 * 86_400_000;
/** Threads a reply may join: the most recent roots of its channel. */
const OPEN_THREADS = 50;

function indexes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The corpus's posts, in time order. */
export function* createCorpus(seed: string | number, options: CorpusOptions): Generator<CorpusPost> {
  const o = { ...CORPUS_DEFAULTS, ...options };
  if (o.channels < 1 || o.users < 1) throw new Error('a corpus needs at least one channel and one user');
  // Which channel is busiest is itself seeded: rank r is a shuffled channel index.
  const order = seededRandom(`${seed}:ranks`);
  const channelRanks = shuffle(indexes(o.channels), order);
  const userRanks = shuffle(indexes(o.users), order);
  const channels = new ZipfSampler(channelRanks, o.channelExponent);
  const users = new ZipfSampler(userRanks, o.userExponent);
  const userRank = new Map(userRanks.map((u, r) => [u, r]));
  const memberSamplers = new Map<number, ZipfSampler<number>>();
  const authorIn = (channelIndex: number, rng: Random): number => {
    if (!o.membersOf) return users.draw(rng);
    let sampler = memberSamplers.get(channelIndex);
    if (!sampler) {
      // A channel's members in the workspace-wide activity order: busy people are busy everywhere.
      const members = [...o.membersOf(channelIndex)].sort((a, b) => userRank.get(a)! - userRank.get(b)!);
      sampler = new ZipfSampler(members.length > 0 ? members : [users.items[0]!], o.userExponent);
      memberSamplers.set(channelIndex, sampler);
    }
    return sampler.draw(rng);
  };
  const mentionCache = new Map<number, string[]>();
  const mentionableIn = (channelIndex: number): string[] => {
    const names = o.usernames;
    if (!names) return [];
    let out = mentionCache.get(channelIndex);
    if (!out) {
      const members = o.membersOf?.(channelIndex) ?? [];
      out = (members.length > 0 ? members : indexes(Math.min(o.users, 50)))
        .slice(0, 200)
        .map((i) => names[i])
        .filter((n): n is string => n !== undefined);
      mentionCache.set(channelIndex, out);
    }
    return out;
  };
  const openThreads = new Map<number, number[]>();
  const span = o.months * MONTH_MS;
  for (let index = 0; index < o.posts; index++) {
    const rng = seededRandom(`${seed}:${index}`);
    const channelIndex = channels.draw(rng);
    const userIndex = authorIn(channelIndex, rng);
    const createAt = Math.floor(o.start + ((index + rng.next()) * span) / Math.max(1, o.posts));
    const threads = openThreads.get(channelIndex) ?? [];
    let rootIndex: number | undefined;
    if (threads.length > 0 && rng.chance(o.replyShare)) {
      // Recent threads are likelier: the square of a uniform leans to the end of the list.
      rootIndex = threads[threads.length - 1 - Math.floor(rng.next() ** 2 * threads.length)]!;
    } else {
      threads.push(index);
      if (threads.length > OPEN_THREADS) threads.shift();
      openThreads.set(channelIndex, threads);
    }
    const mentionable = mentionableIn(channelIndex);
    const text = composeMessage(rng, { usernames: mentionable, secondLanguageShare: o.secondLanguageShare });
    const post: CorpusPost = {
      index,
      channelIndex,
      userIndex,
      createAt,
      message: text.message,
      reactions: [],
      hashtags: text.hashtags,
      mentions: text.mentions,
      links: text.links,
      hasCode: text.hasCode,
      attachments: [],
    };
    if (rootIndex !== undefined) post.rootIndex = rootIndex;
    if (rng.chance(o.reactionShare)) {
      const seen = new Set<string>();
      for (let n = 1 + Math.floor(rng.next() ** 3 * 6); n > 0; n--) {
        const reactor = authorIn(channelIndex, rng);
        const emoji = EMOJI[Math.floor(rng.next() ** 2.5 * EMOJI.length)]!;
        if (seen.has(`${reactor}:${emoji}`)) continue;
        seen.add(`${reactor}:${emoji}`);
        post.reactions.push({ userIndex: reactor, emoji, createAt: createAt + 1000 + rng.int(3_600_000) });
      }
    }
    if (rng.chance(o.attachmentShare)) {
      for (let n = 1 + Math.floor(rng.next() ** 3 * 3); n > 0; n--)
        post.attachments.push(corpusAttachment(rng, `${seed}:${index}:file${post.attachments.length}`));
    }
    if (rng.chance(o.editShare)) {
      const again = composeMessage(rng, { usernames: [], secondLanguageShare: 0 });
      post.edit = {
        message: `${text.message} ${again.message}`,
        editAt: createAt + 5_000 + rng.int(600_000),
      };
    }
    yield post;
  }
}

function shuffle<T>(items: T[], rng: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
