import { createHash } from 'node:crypto';
import type { RequestContext } from '../http/context.js';
import { ok } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { Session } from '../model/types.js';
import type { Services } from '../services.js';
import {
  CHANNEL_COLUMNS,
  type ChannelRow,
  getChannelByName,
  insertChannel,
  insertChannelMember,
  isChannelMember,
  requireChannel,
  toChannel,
} from '../store/channels.js';
import { canManageTeam, canViewTeam, requireTeam, requireTeamByName } from '../store/teams.js';
import { isSystemAdmin, USER_COLUMNS, type UserRow } from '../store/users.js';
import { broadcastTo } from '../ws/broadcast.js';
import { channelNameParam, idParam, isValidChannelName, teamNameParam, userIdParam } from './params.js';

const DISPLAY_NAME_MAX_RUNES = 64;
const HEADER_MAX_RUNES = 1024;
const PURPOSE_MAX_RUNES = 250;
const GROUP_MIN_USERS = 3;
const GROUP_MAX_USERS = 8;

/**
 * Whether the session may read the channel: its members and system admins always; any team
 * member for an open channel (read_public_channel).
 */
export async function canReadChannel(s: Services, session: Session, channel: ChannelRow): Promise<boolean> {
  if (isSystemAdmin(session.roles)) return true;
  if (await isChannelMember(s.db, channel.id, session.user_id)) return true;
  return channel.type === 'O' && (await canViewTeam(s.db, channel.team_id, session));
}

/** The channel from `:channel_id`, or 400 (malformed id), 404 (unknown) or 403 (not readable). */
export async function readableChannelParam(ctx: RequestContext, s: Services): Promise<ChannelRow> {
  const channel = await requireChannel(s.db, idParam(ctx, 'channel_id'));
  if (!(await canReadChannel(s, ctx.me, channel))) throw forbidden(`channel_id=${channel.id}`);
  return channel;
}

function invalidChannel(field: string, message: string): AppError {
  return new AppError(`model.channel.is_valid.${field}.app_error`, message, 400);
}

/** Channel.IsValid for a team channel, in Mattermost's order. */
function validateChannel(name: string, displayName: string, type: string, header: string, purpose: string) {
  if ([...displayName].length > DISPLAY_NAME_MAX_RUNES)
    throw invalidChannel('display_name', 'Invalid display name.');
  if (!isValidChannelName(name))
    throw invalidChannel('1_or_more', 'Name must be 1 or more lowercase alphanumeric characters.');
  if (type !== 'O' && type !== 'P') throw invalidChannel('type', 'Invalid type.');
  if ([...header].length > HEADER_MAX_RUNES) throw invalidChannel('header', 'Invalid header.');
  if ([...purpose].length > PURPOSE_MAX_RUNES) throw invalidChannel('purpose', 'Invalid purpose.');
  // Names shaped like a DM's (two ids) or a GM's (a sha1) are reserved for those channels.
  const parts = name.split('__');
  if (/^[a-f0-9]{40}$/.test(name) || (parts.length === 2 && isValidId(parts[0]) && isValidId(parts[1])))
    throw invalidChannel('name', 'Invalid channel name.');
}

function channelsByName(name: string): AppError {
  return new AppError(
    'app.channel.get_by_name.missing.app_error',
    'Channel does not exist.',
    404,
    `name=${name}`,
  );
}

/** getChannelByName's rule: open channels to team members, private ones to members and team admins. */
async function channelVisibleByName(s: Services, session: Session, channel: ChannelRow): Promise<void> {
  if (await canReadChannel(s, session, channel)) return;
  if (channel.type === 'O') throw forbidden(`channel_id=${channel.id}`);
  if (channel.team_id && (await canManageTeam(s.db, channel.team_id, session))) return;
  // A private channel the caller cannot see does not exist, as far as they can tell.
  throw channelsByName(channel.name);
}

async function findByName(s: Services, teamId: string, name: string, includeDeleted: boolean) {
  const channel = await getChannelByName(s.db, teamId, name);
  if (!channel || (channel.delete_at > 0 && !includeDeleted)) throw channelsByName(name);
  return channel;
}

/** Parses the JSON array body of /channels/direct and /channels/group. */
async function userIdsBody(ctx: RequestContext): Promise<string[]> {
  let raw: unknown;
  try {
    raw = await ctx.json('user_ids');
  } catch (err) {
    if (!(err instanceof AppError) || err.id !== 'api.context.invalid_body_param.app_error') throw err;
    throw new AppError('api.payload.parse.error', 'Error while parsing the payload.', 400, err.detailedError);
  }
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string'))
    throw new AppError('api.payload.parse.error', 'Error while parsing the payload.', 400);
  return [...new Set(raw as string[])];
}

async function usersByIds(s: Services, ids: string[]): Promise<UserRow[]> {
  const { rows } = await s.db.read<UserRow>(
    'UserStore.GetMany',
    `SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1) AND delete_at = 0`,
    [ids],
  );
  return rows;
}

export function registerChannelRoutes(api: ApiRouter): void {
  api.post('/api/v4/channels', 'createChannel', async (ctx, s) => {
    const body = await ctx.object('channel');
    const teamId = body.optionalString('team_id');
    const displayName = body.optionalString('display_name');
    const type = body.optionalString('type');
    if (!teamId) throw invalidBodyParam('team_id', 'Missing team_id');
    if (!displayName) throw invalidBodyParam('display_name', 'Missing display_name');
    if (type === 'D' || type === 'G') {
      throw new AppError(
        'api.channel.create_channel.direct_channel.app_error',
        'Must use createDirectChannel API service for direct message channel creation.',
        400,
      );
    }
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('create channel');
    await requireTeam(s.db, teamId);
    const name = body.optionalString('name');
    const header = body.optionalString('header');
    const purpose = body.optionalString('purpose');
    validateChannel(name, displayName, type, header, purpose);
    const now = Date.now();
    const channel = await s.db.tx('ChannelStore.Save', async (c) => {
      const row = await insertChannel(c, {
        team_id: teamId,
        type: type as ChannelRow['type'],
        name,
        display_name: displayName,
        creator_id: ctx.me.user_id,
        header,
        purpose,
        now,
      });
      if (!row) {
        throw new AppError(
          'store.sql_channel.save_channel.exists.app_error',
          'A channel with that name already exists on the same team.',
          400,
        );
      }
      await insertChannelMember(c, row.id, ctx.me.user_id, true, now);
      return row;
    });
    s.events.publish({
      event: 'channel_created',
      data: { channel_id: channel.id, team_id: channel.team_id },
      broadcast: broadcastTo({ user_id: ctx.me.user_id }),
    });
    return ok(toChannel(channel), 201);
  });

  api.get('/api/v4/channels/:channel_id', 'getChannel', async (ctx, s) =>
    ok(toChannel(await readableChannelParam(ctx, s))),
  );

  api.get('/api/v4/teams/:team_id/channels/name/:channel_name', 'getChannelByName', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    const name = channelNameParam(ctx);
    const channel = await findByName(s, teamId, name, ctx.query.get('include_deleted') === 'true');
    await channelVisibleByName(s, ctx.me, channel);
    return ok(toChannel(channel));
  });

  api.get(
    '/api/v4/teams/name/:team_name/channels/name/:channel_name',
    'getChannelByNameForTeamName',
    async (ctx, s) => {
      const team = await requireTeamByName(s.db, teamNameParam(ctx));
      const name = channelNameParam(ctx);
      const channel = await findByName(s, team.id, name, ctx.query.get('include_deleted') === 'true');
      await channelVisibleByName(s, ctx.me, channel);
      return ok(toChannel(channel));
    },
  );

  api.get('/api/v4/teams/:team_id/channels', 'getPublicChannelsForTeam', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    const { page, perPage } = ctx.paging();
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('list team channels');
    const { rows } = await s.db.read<ChannelRow>(
      'ChannelStore.GetPublicChannelsForTeam',
      `SELECT ${CHANNEL_COLUMNS} FROM channels WHERE team_id = $1 AND type = 'O' AND delete_at = 0
        ORDER BY display_name, id LIMIT $2 OFFSET $3`,
      [teamId, perPage, page * perPage],
    );
    return ok(rows.map(toChannel));
  });

  api.post('/api/v4/teams/:team_id/channels/search', 'searchChannelsForTeam', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    const term = (await ctx.object('channel_search')).optionalString('term').trim().toLowerCase();
    if (!(await canViewTeam(s.db, teamId, ctx.me))) {
      throw new AppError(
        'app.team.get_member.missing.app_error',
        'No team member found for that user ID and team ID.',
        404,
        `team_id=${teamId}, user_id=${ctx.me.user_id}`,
      );
    }
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await s.db.read<ChannelRow>(
      'ChannelStore.SearchInTeam',
      `SELECT ${CHANNEL_COLUMNS} FROM channels
        WHERE team_id = $1 AND type = 'O' AND delete_at = 0
          AND (lower(name) LIKE $2 OR lower(display_name) LIKE $2 OR lower(purpose) LIKE $2)
        ORDER BY display_name, id LIMIT 100`,
      [teamId, like],
    );
    return ok(rows.map(toChannel));
  });

  // The channels of one user in one team, with their DMs and GMs (team_id '').
  api.get('/api/v4/users/:user_id/teams/:team_id/channels', 'getChannelsForTeamForUser', async (ctx, s) => {
    const userId = userIdParam(ctx);
    const teamId = idParam(ctx, 'team_id');
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit other users');
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view team');
    const deleted = ctx.query.get('include_deleted') === 'true' ? '' : 'AND c.delete_at = 0';
    const { rows } = await s.db.read<ChannelRow>(
      'ChannelStore.GetChannels',
      `SELECT ${CHANNEL_COLUMNS.split(', ')
        .map((col) => `c.${col}`)
        .join(', ')} FROM channels c JOIN channel_members m ON m.channel_id = c.id
        WHERE m.user_id = $1 AND (c.team_id = $2 OR c.team_id = '') ${deleted}
        ORDER BY c.display_name, c.id`,
      [userId, teamId],
    );
    return ok(rows.map(toChannel));
  });

  api.get('/api/v4/channels/:channel_id/stats', 'getChannelStats', async (ctx, s) => {
    const channel = await readableChannelParam(ctx, s);
    const excludeFiles = ctx.query.get('exclude_files_count') === 'true';
    const { rows } = await s.db.read<{ members: number; pinned: number; files: number }>(
      'ChannelStore.GetMemberCount',
      `SELECT (SELECT count(*) FROM channel_members WHERE channel_id = $1)::bigint AS members,
              (SELECT count(*) FROM posts WHERE channel_id = $1 AND is_pinned AND delete_at = 0)::bigint AS pinned,
              (CASE WHEN $2 THEN -1 ELSE (SELECT count(*) FROM file_infos WHERE channel_id = $1 AND delete_at = 0) END)::bigint AS files`,
      [channel.id, excludeFiles],
    );
    const stats = rows[0]!;
    return ok({
      channel_id: channel.id,
      member_count: stats.members,
      guest_count: 0,
      pinnedpost_count: stats.pinned,
      files_count: stats.files,
    });
  });

  api.post('/api/v4/channels/direct', 'createDirectChannel', async (ctx, s) => {
    const ids = await userIdsBody(ctx);
    const me = ctx.me.user_id;
    // A DM with yourself is sent as [me] or [me, me]; duplicates were dropped above.
    if (ids.length === 1 && ids[0] === me) ids.push(me);
    if (ids.length !== 2) throw invalidBodyParam('user_ids');
    if (ids.some((id) => !isValidId(id))) throw invalidBodyParam('user_id');
    if (!ids.includes(me) && !isSystemAdmin(ctx.me.roles)) throw forbidden('manage system');
    const [first, second] = ids as [string, string];
    const distinct = [...new Set(ids)];
    if ((await usersByIds(s, distinct)).length !== distinct.length) {
      throw new AppError(
        'api.channel.create_direct_channel.invalid_user.app_error',
        'Invalid user ID for direct channel creation.',
        400,
        `invalid user ids: ${first}, ${second}`,
      );
    }
    const name = [first, second].sort().join('__');
    const now = Date.now();
    const { channel, created } = await s.db.tx('ChannelStore.SaveDirectChannel', async (c) => {
      const row = await insertChannel(c, {
        team_id: '',
        type: 'D',
        name,
        display_name: '',
        creator_id: me,
        now,
      });
      if (!row) return { channel: (await getChannelByName(s.db, '', name, c))!, created: false };
      for (const id of distinct) await insertChannelMember(c, row.id, id, false, now);
      return { channel: row, created: true };
    });
    if (created) {
      s.events.publish({
        event: 'direct_added',
        data: { creator_id: first, teammate_id: second },
        broadcast: broadcastTo({ channel_id: channel.id }),
      });
    }
    return ok(toChannel(channel), 201);
  });

  api.post('/api/v4/channels/group', 'createGroupChannel', async (ctx, s) => {
    const ids = (await userIdsBody(ctx)).sort();
    if (ids.length === 0) throw invalidBodyParam('user_ids');
    if (ids.some((id) => !isValidId(id))) throw invalidBodyParam('user_id');
    if (!ids.includes(ctx.me.user_id)) ids.push(ctx.me.user_id);
    ids.sort();
    if (ids.length < GROUP_MIN_USERS || ids.length > GROUP_MAX_USERS) {
      throw new AppError(
        'api.channel.create_group.bad_size.app_error',
        'Group message channels must contain at least 3 and no more than 8 users.',
        400,
      );
    }
    const users = await usersByIds(s, ids);
    if (users.length !== ids.length) {
      throw new AppError(
        'api.channel.create_group.bad_user.app_error',
        'One of the provided users does not exist.',
        400,
      );
    }
    // model.GetGroupNameFromUserIds / GetGroupDisplayNameFromUsers.
    const name = createHash('sha1').update(ids.join('')).digest('hex');
    const displayName = users
      .map((u) => u.username)
      .sort()
      .join(', ')
      .slice(0, 64);
    const now = Date.now();
    const { channel, created } = await s.db.tx('ChannelStore.Save', async (c) => {
      const row = await insertChannel(c, {
        team_id: '',
        type: 'G',
        name,
        display_name: displayName,
        creator_id: ctx.me.user_id,
        now,
      });
      if (!row) return { channel: (await getChannelByName(s.db, '', name, c))!, created: false };
      for (const id of ids) await insertChannelMember(c, row.id, id, false, now);
      return { channel: row, created: true };
    });
    if (created) {
      s.events.publish({
        event: 'group_added',
        data: { teammate_ids: JSON.stringify(ids) },
        broadcast: broadcastTo({ channel_id: channel.id }),
      });
    }
    return ok(toChannel(channel), 201);
  });
}
