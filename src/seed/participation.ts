import type { Draft } from '@mattermost/types/drafts';
import { forEachBounded, withRetry } from '../common/bounded-parallel.js';
import { seededRandom } from '../common/seeded-random.js';
import { messageText } from '../mattermost/message-text.js';
import type { Client4 } from '../mattermost/official-client.js';
import type { UserAccount } from '../mattermost/simulated-user.js';
import type { PlannedChannel, SeedPlan } from './plan.js';
import { createPostOnce, PAGE, Phase, type PhaseCount, pages, postsOf, SEED_PROP } from './seed-steps.js';
import type { SeedShape } from './shape.js';

// The seed's last phases: each user's part in a workspace in use. A history of posts by a few
// authors leaves every other member following no thread and holding no draft, the state of a
// workspace on its first day, where load-test-ng's thread and draft actions (UpdateThreadRead,
// ViewThread, DeleteDraft) find nothing to act on. So each user replies to a history thread of its
// channels (Mattermost makes a replier follow the thread) and leaves a synced draft, as planned in
// plan.ts. Idempotent: replies carry REPLY_PROP and drafts are looked up before they are written.

/** Marks a seeded thread reply (props), so a second run finds who has replied already. */
export const REPLY_PROP = 'mmdrill_seed_reply';

export interface ParticipationContext {
  plan: SeedPlan;
  shape: SeedShape;
  admin: Client4;
  teamIds: ReadonlyMap<string, string>;
  channelIds: ReadonlyMap<PlannedChannel, string>;
  accounts: readonly UserAccount[];
  /** The logged-in client of an account (one login per account for the whole seed). */
  clientOf(account: UserAccount): Promise<Client4>;
  limit: number;
  print(line: string): void;
  signal?: AbortSignal;
}

/** Each planned replier replies once to a history thread of the channel. */
export async function seedThreadReplies(ctx: ParticipationContext): Promise<PhaseCount> {
  const { plan, shape, signal } = ctx;
  const phase = new Phase(
    'thread replies',
    plan.channels.reduce((n, c) => n + c.threadRepliers.length, 0),
    ctx.print,
  );
  await forEachBounded(
    plan.channels,
    Math.max(1, Math.floor(ctx.limit / 2)),
    async (c) => {
      if (c.threadRepliers.length === 0) return;
      const channelId = ctx.channelIds.get(c)!;
      const posts = await pages((p) => ctx.admin.getPosts(channelId, p, PAGE).then(postsOf));
      const roots = posts.filter((p) => !p.root_id && p.props?.[SEED_PROP] === shape.name).map((p) => p.id);
      if (roots.length === 0) throw new Error(`channel ${c.name} has no history thread to reply to`);
      roots.sort();
      const replied = new Set(
        posts.filter((p) => p.props?.[REPLY_PROP] === shape.name).map((p) => p.user_id),
      );
      await forEachBounded(c.threadRepliers, 2, async (i) => {
        signal?.throwIfAborted();
        const account = ctx.accounts[i]!;
        if (replied.has(account.id)) return phase.tick(false);
        const rng = seededRandom(`${shape.name}:${c.name}:reply:${account.username}`);
        const author = await ctx.clientOf(account);
        await createPostOnce(author, {
          channel_id: channelId,
          root_id: rng.pick(roots)!,
          message: messageText(rng),
          props: { [REPLY_PROP]: shape.name },
          pending_post_id: `${c.name}:reply:${account.username}:${Date.now()}`,
        });
        phase.tick(true);
      });
    },
    signal,
  );
  return phase.end();
}

/** Each planned drafter holds a synced draft in the channel (a channel draft, no root). */
export async function seedDrafts(ctx: ParticipationContext): Promise<PhaseCount> {
  const { plan, shape, signal } = ctx;
  const phase = new Phase(
    'drafts',
    plan.channels.reduce((n, c) => n + c.drafters.length, 0),
    ctx.print,
  );
  await forEachBounded(
    plan.channels,
    Math.max(1, Math.floor(ctx.limit / 2)),
    async (c) => {
      const channelId = ctx.channelIds.get(c)!;
      const teamId = ctx.teamIds.get(c.team)!;
      await forEachBounded(c.drafters, 2, async (i) => {
        signal?.throwIfAborted();
        const account = ctx.accounts[i]!;
        const client = await ctx.clientOf(account);
        const held = await withRetry(() => client.getUserDrafts(teamId));
        if (held.some((d) => d.channel_id === channelId && !d.root_id)) return phase.tick(false);
        const rng = seededRandom(`${shape.name}:${c.name}:draft:${account.username}`);
        const now = Date.now();
        const draft: Draft = {
          user_id: account.id,
          channel_id: channelId,
          root_id: '',
          message: messageText(rng),
          props: {},
          file_ids: [],
          create_at: now,
          update_at: now,
          delete_at: 0,
        };
        await withRetry(() => client.upsertDraft(draft, ''));
        phase.tick(true);
      });
    },
    signal,
  );
  return phase.end();
}
