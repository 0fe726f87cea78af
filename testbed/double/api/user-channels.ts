import { ok, type RequestContext } from '../http/context.js';
import { forbidden } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import {
  CHANNEL_COLUMNS,
  CHANNEL_MEMBER_COLUMNS,
  type ChannelMemberRow,
  type ChannelRow,
  toChannel,
  toChannelMember,
} from '../store/channels.js';
import { addMetadata, postsPage } from '../store/posts.js';
import { isSystemAdmin } from '../store/users.js';
import { idParam, userIdParam } from './params.js';
import { readableChannel } from './post-access.js';

// The user's channels across all teams, all their memberships (paged), the first view of a
// channel (posts around the last unread) and unread counts per team: what the web app loads when
// the team page mounts and LTNG at every reload, and the request behind every first channel view.

const MEMBERS_PER_PAGE_MAX = 200;

function prefixed(columns: string, alias: string): string {
  return columns
    .split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

function self(ctx: RequestContext): string {
  const userId = userIdParam(ctx);
  if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit_other_users');
  return userId;
}

export function registerUserChannelRoutes(api: ApiRouter): void {
  api.get('/api/v4/users/:user_id/channels', 'getChannelsForUser', async (ctx, s) => {
    const userId = self(ctx);
    const lastDeleteAt = ctx.intQuery('last_delete_at', 0);
    const deleted =
      ctx.query.get('include_deleted') === 'true'
        ? 'AND c.delete_at >= $2'
        : 'AND (c.delete_at = 0 OR $2 < 0)';
    const { rows } = await s.db.read<ChannelRow>(
      'ChannelStore.GetChannelsByUser',
      `SELECT ${prefixed(CHANNEL_COLUMNS, 'c')} FROM channels c JOIN channel_members m ON m.channel_id = c.id
        WHERE m.user_id = $1 ${deleted} ORDER BY c.display_name, c.id`,
      [userId, lastDeleteAt],
    );
    return ok(rows.map(toChannel));
  });

  api.get('/api/v4/users/:user_id/channel_members', 'getChannelMembersForUser', async (ctx, s) => {
    const userId = self(ctx);
    const page = ctx.intQuery('page', 0);
    const perPage = Math.min(ctx.intQuery('per_page', MEMBERS_PER_PAGE_MAX), MEMBERS_PER_PAGE_MAX);
    const { rows } = await s.db.read<ChannelMemberRow>(
      'ChannelStore.GetMembersForUserWithCursor',
      `SELECT ${prefixed(CHANNEL_MEMBER_COLUMNS, 'm')} FROM channel_members m JOIN channels c ON c.id = m.channel_id
        WHERE m.user_id = $1 AND c.delete_at = 0 ORDER BY m.channel_id LIMIT $2 OFFSET $3`,
      [userId, perPage, page * perPage],
    );
    return ok(rows.map(toChannelMember));
  });

  // getPostsForChannelAroundLastUnread: the posts the user has not seen plus limit_before older
  // ones; with nothing unread, the newest page. The double returns the newest
  // limit_before + limit_after posts, which holds the unread ones whenever they fit.
  api.get(
    '/api/v4/users/:user_id/channels/:channel_id/posts/unread',
    'getPostsForChannelAroundLastUnread',
    async (ctx, s) => {
      self(ctx);
      const channelId = idParam(ctx, 'channel_id');
      const before = Math.min(ctx.intQuery('limit_before', 60), MEMBERS_PER_PAGE_MAX);
      const after = Math.min(ctx.intQuery('limit_after', 60), MEMBERS_PER_PAGE_MAX);
      await readableChannel(ctx, s, channelId);
      const list = await postsPage(
        s.db,
        channelId,
        0,
        Math.max(1, before + after),
        ctx.query.get('skipFetchThreads') !== 'true',
      );
      await addMetadata(s.db, list.posts.values());
      return ok(list.build({ next_post_id: '', prev_post_id: '' }));
    },
  );

  api.get('/api/v4/users/:user_id/teams/unread', 'getTeamsUnreadForUser', async (ctx, s) => {
    const userId = self(ctx);
    const rootsOnly = ctx.query.get('include_collapsed_threads') === 'true';
    const excluded = ctx.query.get('exclude_team') ?? '';
    const { rows } = await s.db.read<{
      team_id: string;
      msg_count: string;
      mention_count: string;
      msg_count_root: string;
    }>(
      'TeamStore.GetChannelUnreadsForAllTeams',
      `SELECT c.team_id,
              sum(GREATEST(c.total_msg_count - m.msg_count, 0))::text AS msg_count,
              sum(m.mention_count)::text AS mention_count,
              sum(GREATEST(c.total_msg_count_root - m.msg_count_root, 0))::text AS msg_count_root
         FROM channel_members m JOIN channels c ON c.id = m.channel_id
         JOIN team_members tm ON tm.team_id = c.team_id AND tm.user_id = m.user_id AND tm.delete_at = 0
        WHERE m.user_id = $1 AND c.team_id <> '' AND c.team_id <> $2 AND c.delete_at = 0
        GROUP BY c.team_id ORDER BY c.team_id`,
      [userId, excluded],
    );
    return ok(
      rows.map((r) => ({
        team_id: r.team_id,
        msg_count: rootsOnly ? Number(r.msg_count_root) : Number(r.msg_count),
        mention_count: Number(r.mention_count),
        mention_count_root: Number(r.mention_count),
        msg_count_root: Number(r.msg_count_root),
        thread_count: 0,
        thread_mention_count: 0,
        thread_urgent_mention_count: 0,
      })),
    );
  });
}
