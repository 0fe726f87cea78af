import type { Random } from '../../common/seeded-random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { CORPUS_DEFAULTS } from '../corpus/corpus.js';
import { composeMessage } from '../corpus/message.js';
import type { PlannedChannel, SeedPlan } from '../plan.js';
import { SEED_PROP } from '../seed-steps.js';
import type { SeedShape } from '../shape.js';

// A shape's data set as the lines of Mattermost's bulk-import file (JSONL), in the order the
// importer requires: version, teams, channels, users (with their team and channel memberships),
// posts (each root with its replies and reactions), direct channels, direct posts. Field names
// and types follow Mattermost's public documentation, "Bulk loading data format"
// (https://docs.mattermost.com/onboard/bulk-loading-data-format.html) and the import data models
// of mattermost/mattermost `server/channels/app/imports/import_types.go`; import-schema.ts holds
// them as schemas. Lines are generated one at a time (a million posts never sit in memory), from
// seeded streams, so the same shape and day give the same file.

/** The post text generator (corpusPostText unless a caller brings its own). */
export type PostText = (rng: Random) => string;

export interface ImportReaction {
  user: string;
  emoji_name: string;
  create_at: number;
}
export interface ImportReply {
  user: string;
  message: string;
  create_at: number;
  reactions?: ImportReaction[];
}
export type ImportLine =
  | { type: 'version'; version: 1 }
  | {
      type: 'team';
      team: { name: string; display_name: string; type: 'O' | 'I'; allow_open_invite: boolean };
    }
  | { type: 'channel'; channel: { team: string; name: string; display_name: string; type: 'O' | 'P' } }
  | {
      type: 'user';
      user: {
        username: string;
        email: string;
        password: string;
        roles: string;
        teams: { name: string; roles: string; channels: { name: string; roles: string }[] }[];
      };
    }
  | {
      type: 'post';
      post: {
        team: string;
        channel: string;
        user: string;
        message: string;
        props: Record<string, unknown>;
        create_at: number;
        replies?: ImportReply[];
        reactions?: ImportReaction[];
      };
    }
  | { type: 'direct_channel'; direct_channel: { members: string[] } }
  | {
      type: 'direct_post';
      direct_post: { channel_members: string[]; user: string; message: string; create_at: number };
    };

/** What the lines hold, counted as they are generated (the read-back compares with these). */
export interface ImportCounts {
  teams: number;
  channels: number;
  users: number;
  teamMembers: number;
  channelMembers: number;
  /** Root posts and replies in team channels. */
  posts: number;
  replies: number;
  reactions: number;
  directChannels: number;
  directPosts: number;
}

export function emptyCounts(): ImportCounts {
  return {
    teams: 0,
    channels: 0,
    users: 0,
    teamMembers: 0,
    channelMembers: 0,
    posts: 0,
    replies: 0,
    reactions: 0,
    directChannels: 0,
    directPosts: 0,
  };
}

const EMOJI = ['+1', 'smile', 'white_check_mark', 'eyes', 'tada', 'heart', 'rocket', 'thinking_face'];
const DAY_MS = 86_400_000;

export interface LineOptions {
  plan: SeedPlan;
  shape: SeedShape;
  /** The password every seeded account gets (kept in the credentials file). */
  password: string;
  text: PostText;
  /** The newest post's time; history spreads over `historyDays` before it. */
  endAt: number;
}

/**
 * The newest imported post's time: the end of the corpus's span (corpus.ts), so the date band of
 * post searches, drawn from the corpus's statistics, asks about days the history covers; a fixed
 * day also makes the same shape give the same file on any day.
 */
export const HISTORY_END = CORPUS_DEFAULTS.start + CORPUS_DEFAULTS.months * 30 * DAY_MS;

/**
 * Post text from the corpus's generator (Zipf words, hashtags, links, code blocks): the text the
 * search bands' terms, phrases and hashtags are drawn from (search-queries.ts).
 */
export const corpusPostText: PostText = (rng) =>
  composeMessage(rng, { usernames: [], secondLanguageShare: 0 }).message;

/** All lines of the data set, in the order Mattermost's importer requires. */
export function* importLines(
  options: LineOptions,
  counts: ImportCounts = emptyCounts(),
): Generator<ImportLine> {
  const { plan } = options;
  yield { type: 'version', version: 1 };
  for (const t of plan.teams) {
    counts.teams++;
    yield {
      type: 'team',
      team: { name: t.name, display_name: t.displayName, type: 'O', allow_open_invite: true },
    };
  }
  for (const c of plan.channels) {
    counts.channels++;
    yield {
      type: 'channel',
      channel: { team: c.team, name: c.name, display_name: c.displayName, type: c.type },
    };
  }
  yield* userLines(options, counts);
  for (const c of plan.channels) yield* channelPosts(options, c, counts);
  yield* directLines(options, counts);
}

function* userLines(options: LineOptions, counts: ImportCounts): Generator<ImportLine> {
  const { plan } = options;
  const channelsOf = new Map<number, PlannedChannel[]>();
  for (const c of plan.channels)
    for (const i of c.members) channelsOf.set(i, [...(channelsOf.get(i) ?? []), c]);
  for (const [i, u] of plan.users.entries()) {
    const mine = channelsOf.get(i) ?? [];
    counts.users++;
    counts.teamMembers += plan.teams.length;
    counts.channelMembers += mine.length;
    yield {
      type: 'user',
      user: {
        username: u.username,
        email: u.email,
        password: options.password,
        roles: 'system_user',
        teams: plan.teams.map((t) => ({
          name: t.name,
          roles: 'team_user',
          channels: mine
            .filter((c) => c.team === t.name)
            .map((c) => ({ name: c.name, roles: 'channel_user' })),
        })),
      },
    };
  }
}

/**
 * A channel's history: `posts` messages, a `replyShare` of them replies to an earlier root of the
 * channel, spread evenly over the history window; each planned thread replier adds one reply.
 * Replies travel inside their root's line, as the format requires.
 */
function* channelPosts(options: LineOptions, c: PlannedChannel, counts: ImportCounts): Generator<ImportLine> {
  const { plan, shape } = options;
  if (c.posts === 0) return;
  const rng = seededRandom(`${shape.name}:${c.name}:bulk`);
  const authors = c.members.slice(0, shape.authorsPerChannel).map((i) => plan.users[i]!.username);
  const members = c.members.map((i) => plan.users[i]!.username);
  if (authors.length === 0) throw new Error(`channel ${c.name} has no members to write its history`);
  const span = (shape.historyDays ?? 90) * DAY_MS;
  const start = options.endAt - span;
  const step = Math.max(1, Math.floor(span / (c.posts + c.threadRepliers.length + 1)));
  // Which messages are replies, and to which root, decided first: a root's line holds its replies.
  const roots: { at: number; author: string; replies: ImportReply[] }[] = [];
  const reactionShare = shape.reactionShare ?? 0.3;
  const reactions = (after: number): ImportReaction[] | undefined => {
    if (!rng.chance(reactionShare)) return undefined;
    const n = 1 + rng.int(2);
    const out: ImportReaction[] = [];
    for (let k = 0; k < n; k++) {
      const emoji = EMOJI[(k + rng.int(EMOJI.length)) % EMOJI.length]!;
      const user = members[rng.int(members.length)]!;
      if (out.some((r) => r.user === user && r.emoji_name === emoji)) continue;
      out.push({ user, emoji_name: emoji, create_at: after + 1 + k });
    }
    counts.reactions += out.length;
    return out;
  };
  for (let k = 0; k < c.posts; k++) {
    const at = start + (k + 1) * step;
    const author = authors[k % authors.length]!;
    if (roots.length > 0 && rng.chance(shape.replyShare)) {
      const root = roots[rng.int(roots.length)]!;
      const reply: ImportReply = { user: author, message: options.text(rng), create_at: at };
      const r = reactions(at);
      if (r) reply.reactions = r;
      root.replies.push(reply);
      counts.replies++;
    } else roots.push({ at, author, replies: [] });
  }
  // The planned thread replies (every user follows a thread, as the API seed makes them).
  for (const [n, i] of c.threadRepliers.entries()) {
    const root = roots[seededRandom(`${shape.name}:${c.name}:reply:${i}`).int(roots.length)]!;
    root.replies.push({
      user: plan.users[i]!.username,
      message: options.text(rng),
      create_at: options.endAt + n + 1,
    });
    counts.replies++;
  }
  for (const root of roots) {
    counts.posts++;
    const r = reactions(root.at);
    yield {
      type: 'post',
      post: {
        team: c.team,
        channel: c.name,
        user: root.author,
        message: options.text(rng),
        props: { [SEED_PROP]: shape.name },
        create_at: root.at,
        ...(root.replies.length > 0 && { replies: root.replies }),
        ...(r && { reactions: r }),
      },
    };
  }
}

/** Direct channels between neighbouring users (0–1, 2–3, …), each with a short history. */
function* directLines(options: LineOptions, counts: ImportCounts): Generator<ImportLine> {
  const { plan, shape } = options;
  const pairs = Math.min(shape.directChannels ?? 0, Math.floor(plan.users.length / 2));
  const perChannel = shape.directPostsPerChannel ?? 5;
  const rng = seededRandom(`${shape.name}:direct`);
  const members = (p: number) => [plan.users[2 * p]!.username, plan.users[2 * p + 1]!.username];
  for (let p = 0; p < pairs; p++) {
    counts.directChannels++;
    yield { type: 'direct_channel', direct_channel: { members: members(p) } };
  }
  for (let p = 0; p < pairs; p++) {
    const pair = members(p);
    for (let k = 0; k < perChannel; k++) {
      counts.directPosts++;
      yield {
        type: 'direct_post',
        direct_post: {
          channel_members: pair,
          user: pair[k % 2]!,
          message: options.text(rng),
          create_at: options.endAt - (perChannel - k) * 60_000 - p,
        },
      };
    }
  }
}
