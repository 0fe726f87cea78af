import { ok, type RequestContext, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { Services } from '../services.js';
import { getPostRow } from '../store/posts.js';
import { canViewTeam } from '../store/teams.js';
import { markThreadRead, setThreadFollowing, threadForUser, threadsForUser } from '../store/threads.js';
import { requireUser } from '../store/users.js';
import { broadcastTo } from '../ws/broadcast.js';
import { idParam, userIdParam } from './params.js';
import { postNotFound, requirePermissionByPost, requireSelfOrAdmin } from './post-access.js';

// Collapsed reply threads: a user's followed threads in a team, read state and following.

function membershipNotFound(threadId: string): AppError {
  return new AppError(
    'app.user.get_thread_membership_for_user.not_found',
    'Unable to get user thread membership',
    404,
    `thread_id=${threadId}`,
  );
}

async function requireThreadInTeam(s: Services, userId: string, threadId: string) {
  const thread = await threadForUser(s.db, userId, threadId);
  if (!thread) throw membershipNotFound(threadId);
  return thread;
}

export function registerThreadRoutes(api: ApiRouter): void {
  api.get('/api/v4/users/:user_id/teams/:team_id/threads', 'getThreadsForUser', async (ctx, s) => {
    const userId = userIdParam(ctx);
    const teamId = idParam(ctx, 'team_id');
    requireSelfOrAdmin(ctx, userId);
    const before = ctx.query.get('before') ?? '';
    const after = ctx.query.get('after') ?? '';
    if (before && after) {
      throw new AppError(
        'api.getThreadsForUser.bad_params',
        'Before and After parameters to getThreadsForUser are mutually exclusive',
        400,
      );
    }
    const totalsOnly = ctx.query.get('totalsOnly') === 'true';
    const threadsOnly = ctx.query.get('threadsOnly') === 'true';
    if (totalsOnly && threadsOnly) {
      throw new AppError(
        'api.getThreadsForUser.bad_only_params',
        'OnlyThreads and OnlyTotals parameters to getThreadsForUser are mutually exclusive',
        400,
      );
    }
    const since = ctx.intQuery('since', 0);
    const result = await threadsForUser(s.db, userId, teamId, {
      perPage: ctx.paging().perPage,
      before,
      after,
      unread: ctx.query.get('unread') === 'true',
      since,
      deleted: ctx.query.get('deleted') === 'true',
    });
    if (totalsOnly) result.threads = [];
    if (threadsOnly) {
      result.total = 0;
      result.total_unread_threads = 0;
      result.total_unread_mentions = 0;
    }
    return ok(result);
  });

  api.get('/api/v4/users/:user_id/teams/:team_id/threads/:thread_id', 'getThreadForUser', async (ctx, s) => {
    const userId = userIdParam(ctx);
    idParam(ctx, 'team_id');
    const threadId = idParam(ctx, 'thread_id');
    requireSelfOrAdmin(ctx, userId);
    return ok(await requireThreadInTeam(s, userId, threadId));
  });

  api.put(
    '/api/v4/users/:user_id/teams/:team_id/threads/:thread_id/read/:timestamp',
    'updateReadStateThreadByUser',
    async (ctx, s) => {
      const userId = userIdParam(ctx);
      const teamId = idParam(ctx, 'team_id');
      const threadId = idParam(ctx, 'thread_id');
      const timestamp = Number(ctx.param('timestamp'));
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw invalidUrlParam('timestamp');
      requireSelfOrAdmin(ctx, userId);
      const user = await requireUser(s.db, userId);
      const root = await getPostRow(s.db, threadId, { client: s.db.primary });
      if (!root) throw postNotFound(threadId);
      await markThreadRead(s.db, user, threadId, timestamp);
      const thread = await requireThreadInTeam(s, userId, threadId);
      s.events.publish({
        event: 'thread_read_changed',
        data: {
          thread_id: threadId,
          timestamp,
          unread_mentions: thread.unread_mentions,
          unread_replies: thread.unread_replies,
          channel_id: root.channel_id,
        },
        broadcast: broadcastTo({ user_id: userId, team_id: teamId }),
      });
      return ok(thread);
    },
  );

  const follow = (state: boolean) => async (ctx: RequestContext, s: Services) => {
    const userId = userIdParam(ctx);
    const teamId = idParam(ctx, 'team_id');
    const threadId = idParam(ctx, 'thread_id');
    requireSelfOrAdmin(ctx, userId);
    if (state) await requirePermissionByPost(ctx, s, threadId, 'read_channel');
    else if (!(await getPostRow(s.db, threadId, { client: s.db.primary }))) throw postNotFound(threadId);
    await setThreadFollowing(s.db, userId, threadId, state);
    const thread = await threadForUser(s.db, userId, threadId);
    s.events.publish({
      event: 'thread_follow_changed',
      data: { thread_id: threadId, state, reply_count: thread?.reply_count ?? 0 },
      broadcast: broadcastTo({ user_id: userId, team_id: teamId }),
    });
    return statusOk;
  };
  api.put(
    '/api/v4/users/:user_id/teams/:team_id/threads/:thread_id/following',
    'followThreadByUser',
    follow(true),
  );
  api.delete(
    '/api/v4/users/:user_id/teams/:team_id/threads/:thread_id/following',
    'unfollowThreadByUser',
    follow(false),
  );

  api.put(
    '/api/v4/users/:user_id/teams/:team_id/threads/read',
    'updateReadStateAllThreadsByUser',
    async (ctx, s) => {
      const userId = userIdParam(ctx);
      const teamId = idParam(ctx, 'team_id');
      requireSelfOrAdmin(ctx, userId);
      if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
      const now = Date.now();
      await s.db.write(
        'ThreadStore.MarkAllAsReadByTeam',
        `UPDATE thread_memberships m SET last_viewed = $3, last_updated = $3, unread_mentions = 0
        FROM threads t JOIN channels c ON c.id = t.channel_id
       WHERE m.post_id = t.post_id AND m.user_id = $1 AND (c.team_id = $2 OR c.team_id = '')`,
        [userId, teamId, now],
      );
      s.events.publish({
        event: 'thread_read_changed',
        data: { timestamp: now },
        broadcast: broadcastTo({ user_id: userId, team_id: teamId }),
      });
      return statusOk;
    },
  );
}
