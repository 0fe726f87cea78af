import { ok, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import {
  CHANNEL_MEMBER_COLUMNS,
  type ChannelMemberRow,
  channelMemberNotFound,
  getChannelMember,
  insertChannelMember,
  requireChannel,
  toChannelMember,
} from '../store/channels.js';
import { setStatus } from '../store/statuses.js';
import { canViewTeam, getTeamMember } from '../store/teams.js';
import { isSystemAdmin, requireUser } from '../store/users.js';
import { broadcastTo } from '../ws/broadcast.js';
import { readableChannelParam } from './channels.js';
import { idParam, userIdParam } from './params.js';

const DEFAULT_CHANNEL = 'town-square';

function columns(alias: string): string {
  return CHANNEL_MEMBER_COLUMNS.split(', ')
    .map((c) => `${alias}.${c}`)
    .join(', ');
}

export function registerChannelMemberRoutes(api: ApiRouter): void {
  api.post('/api/v4/channels/:channel_id/members', 'addChannelMember', async (ctx, s) => {
    const channelId = idParam(ctx, 'channel_id');
    const body = await ctx.object('channel_member');
    const userId = body.optionalString('user_id');
    if (!isValidId(userId)) throw invalidBodyParam('user_id or user_ids');
    const channel = await requireChannel(s.db, channelId);
    if (channel.type === 'D' || channel.type === 'G') {
      throw new AppError(
        'api.channel.add_user_to_channel.type.app_error',
        'Can not add user to this channel type.',
        400,
      );
    }
    const me = ctx.me;
    const admin = isSystemAdmin(me.roles);
    const callerIsMember = admin || (await getChannelMember(s.db, channelId, me.user_id)) !== null;
    const existing = await getChannelMember(s.db, channelId, userId);
    if (channel.type === 'O') {
      if (userId === me.user_id) {
        // Joining an open channel of your team: join_public_channels (every team member).
        if (existing) return ok(toChannelMember(existing), 201);
        if (!admin && !(await canViewTeam(s.db, channel.team_id, me)))
          throw forbidden('join public channels');
      } else if (!callerIsMember) {
        throw forbidden('manage public channel members');
      }
    } else if (!callerIsMember) {
      throw forbidden('manage private channel members');
    }
    if (existing) return ok(toChannelMember(existing), 201);
    await requireUser(s.db, userId);
    const teamMember = await getTeamMember(s.db, channel.team_id, userId);
    if (!teamMember) {
      throw new AppError(
        'app.team.get_member.missing.app_error',
        'No team member found for that user ID and team ID.',
        404,
        `team_id=${channel.team_id}, user_id=${userId}`,
      );
    }
    const member = await s.db.tx('ChannelStore.SaveMember', (c) =>
      insertChannelMember(c, channelId, userId, false, Date.now()),
    );
    // A concurrent add won the race: answer with the member it created, without a second event.
    if (!member) return ok(toChannelMember((await getChannelMember(s.db, channelId, userId))!), 201);
    s.events.publish({
      event: 'user_added',
      data: { user_id: userId, team_id: channel.team_id },
      broadcast: broadcastTo({ channel_id: channelId }),
    });
    return ok(toChannelMember(member), 201);
  });

  api.delete('/api/v4/channels/:channel_id/members/:user_id', 'removeChannelMember', async (ctx, s) => {
    const channelId = idParam(ctx, 'channel_id');
    const userId = userIdParam(ctx);
    const channel = await requireChannel(s.db, channelId);
    await requireUser(s.db, userId);
    if (channel.type !== 'O' && channel.type !== 'P') {
      throw new AppError(
        'api.channel.remove_channel_member.type.app_error',
        'Unable to remove user from a channel.',
        400,
      );
    }
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) {
      // manage_{public,private}_channel_members belong to the channel's members.
      if (!(await getChannelMember(s.db, channelId, ctx.me.user_id)))
        throw forbidden('manage channel members');
    }
    if (channel.name === DEFAULT_CHANNEL) {
      throw new AppError(
        'api.channel.remove.default.app_error',
        `Unable to remove user from the default channel ${DEFAULT_CHANNEL}.`,
        400,
      );
    }
    const { rowCount } = await s.db.write(
      'ChannelStore.RemoveMember',
      'DELETE FROM channel_members WHERE channel_id = $1 AND user_id = $2',
      [channelId, userId],
    );
    if (!rowCount) throw channelMemberNotFound(channelId, userId);
    s.events.publish({
      event: 'user_removed',
      data: { user_id: userId, remover_id: ctx.me.user_id },
      broadcast: broadcastTo({ channel_id: channelId }),
    });
    return statusOk;
  });

  api.get('/api/v4/channels/:channel_id/members', 'getChannelMembers', async (ctx, s) => {
    const channel = await readableChannelParam(ctx, s);
    const { page, perPage } = ctx.paging();
    const { rows } = await s.db.read<ChannelMemberRow>(
      'ChannelStore.GetMembers',
      `SELECT ${CHANNEL_MEMBER_COLUMNS} FROM channel_members WHERE channel_id = $1
        ORDER BY user_id LIMIT $2 OFFSET $3`,
      [channel.id, perPage, page * perPage],
    );
    return ok(rows.map(toChannelMember));
  });

  api.get('/api/v4/channels/:channel_id/members/:user_id', 'getChannelMember', async (ctx, s) => {
    const channel = await readableChannelParam(ctx, s);
    const userId = userIdParam(ctx);
    const member = await getChannelMember(s.db, channel.id, userId);
    if (!member) throw channelMemberNotFound(channel.id, userId);
    return ok(toChannelMember(member));
  });

  // The user's memberships in a team's channels and in their DMs and GMs.
  api.get(
    '/api/v4/users/:user_id/teams/:team_id/channels/members',
    'getChannelMembersForTeamForUser',
    async (ctx, s) => {
      const userId = userIdParam(ctx);
      const teamId = idParam(ctx, 'team_id');
      if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view team');
      if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('manage system');
      const { rows } = await s.db.read<ChannelMemberRow>(
        'ChannelStore.GetMembersForUser',
        `SELECT ${columns('m')} FROM channel_members m JOIN channels c ON c.id = m.channel_id
          WHERE m.user_id = $1 AND (c.team_id = $2 OR c.team_id = '') AND c.delete_at = 0
          ORDER BY m.channel_id`,
        [userId, teamId],
      );
      return ok(rows.map(toChannelMember));
    },
  );

  // Marks a channel read (Mattermost's ViewChannel → MarkChannelsAsViewed). Only a member's
  // channel with unread messages or mentions is updated and announced with channel_viewed;
  // last_viewed_at_times holds max(last_post_at, last_viewed_at) for every channel of which
  // the user is a member. channel_id '' (focus lost) changes nothing.
  api.post('/api/v4/channels/members/:user_id/view', 'viewChannel', async (ctx, s) => {
    const userId = userIdParam(ctx);
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit other users');
    const body = await ctx.object('channel_view');
    const channelId = body.optionalString('channel_id');
    const prevChannelId = body.optionalString('prev_channel_id');
    if (channelId && !isValidId(channelId)) throw invalidBodyParam('channel_view.channel_id');
    if (prevChannelId && !isValidId(prevChannelId)) throw invalidBodyParam('channel_view.prev_channel_id');
    if (!channelId) return ok({ status: 'OK', last_viewed_at_times: {} });
    const { rows } = await s.db.write<{ viewed_at: number; had_unreads: boolean }>(
      'ChannelStore.UpdateLastViewedAt',
      `WITH cur AS (
         SELECT c.id, c.last_post_at, c.total_msg_count, c.total_msg_count_root,
                m.last_viewed_at, (c.total_msg_count > m.msg_count OR m.mention_count > 0) AS had_unreads
           FROM channels c JOIN channel_members m ON m.channel_id = c.id
          WHERE c.id = $1 AND m.user_id = $2),
       upd AS (
         UPDATE channel_members m SET mention_count = 0,
                msg_count = greatest(m.msg_count, cur.total_msg_count),
                msg_count_root = greatest(m.msg_count_root, cur.total_msg_count_root),
                last_viewed_at = greatest(m.last_viewed_at, cur.last_post_at),
                last_update_at = $3
           FROM cur WHERE cur.had_unreads AND m.channel_id = cur.id AND m.user_id = $2)
       SELECT greatest(last_post_at, last_viewed_at) AS viewed_at, had_unreads FROM cur`,
      [channelId, userId, Date.now()],
    );
    const viewed = rows[0];
    if (viewed?.had_unreads) {
      s.events.publish({
        event: 'channel_viewed',
        data: { channel_id: channelId },
        broadcast: broadcastTo({ user_id: userId }),
      });
    }
    // SetActiveChannel: opening a channel makes a user online unless they set a status by hand.
    await setStatus(s, userId, 'online', false);
    return ok({ status: 'OK', last_viewed_at_times: viewed ? { [channelId]: viewed.viewed_at } : {} });
  });

  api.get('/api/v4/users/:user_id/channels/:channel_id/unread', 'getChannelUnread', async (ctx, s) => {
    const userId = userIdParam(ctx);
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit other users');
    const channel = await readableChannelParam(ctx, s);
    const member = await getChannelMember(s.db, channel.id, userId);
    if (!member) throw channelMemberNotFound(channel.id, userId);
    const { notify_props } = toChannelMember(member);
    return ok({
      team_id: channel.team_id,
      channel_id: channel.id,
      msg_count: Math.max(0, channel.total_msg_count - member.msg_count),
      mention_count: member.mention_count,
      mention_count_root: 0,
      urgent_mention_count: 0,
      msg_count_root: Math.max(0, channel.total_msg_count_root - member.msg_count_root),
      notify_props,
    });
  });
}
