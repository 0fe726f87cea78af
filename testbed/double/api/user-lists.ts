import type { RequestContext } from '../http/context.js';
import { ok } from '../http/context.js';
import { AppError, forbidden, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { Services } from '../services.js';
import { canViewTeam } from '../store/teams.js';
import { isSystemAdmin, toUser, USER_COLUMNS, type UserRow } from '../store/users.js';
import { readableChannel } from './post-access.js';

// Lists of users as Mattermost's getUsers and autocompleteUsers build them
// (server/channels/api4/user.go): one filter wins, in Mattermost's order; sort keys are only
// valid with the filter they belong to; autocomplete splits channel members from the rest of the
// team. The web app and LTNG call these at first load, in the add-members dialog and while typing
// an @mention.

const AUTOCOMPLETE_LIMIT = 100;
const SORTS = new Set(['', 'last_activity_at', 'create_at', 'status', 'admin']);

function boolQuery(ctx: RequestContext, name: string): boolean {
  const v = ctx.query.get(name);
  return v === '1' || v === 'true';
}

function idQuery(ctx: RequestContext, name: string, urlName = name): string {
  const v = ctx.query.get(name) ?? '';
  if (v !== '' && !isValidId(v)) throw invalidUrlParam(urlName);
  return v;
}

async function usersWhere(
  s: Services,
  method: string,
  where: string,
  params: unknown[],
  order: string,
  perPage: number,
  page: number,
) {
  params.push(perPage, page * perPage);
  const { rows } = await s.db.read<UserRow>(
    method,
    `SELECT ${USER_COLUMNS} FROM users u WHERE ${where} ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return rows.map(toUser);
}

const IN_TEAM = (p: string) =>
  `u.id IN (SELECT user_id FROM team_members WHERE team_id = ${p} AND delete_at = 0)`;
const IN_CHANNEL = (p: string) => `u.id IN (SELECT user_id FROM channel_members WHERE channel_id = ${p})`;

async function getUsers(ctx: RequestContext, s: Services) {
  const inTeam = idQuery(ctx, 'in_team', 'team_id');
  const notInTeam = idQuery(ctx, 'not_in_team', 'team_id');
  const inChannel = idQuery(ctx, 'in_channel', 'channel_id');
  const notInChannel = idQuery(ctx, 'not_in_channel', 'channel_id');
  const withoutTeam = boolQuery(ctx, 'without_team');
  const inactive = boolQuery(ctx, 'inactive');
  const active = boolQuery(ctx, 'active');
  const sort = ctx.query.get('sort') ?? '';
  const { page, perPage } = ctx.paging();
  if (notInChannel && !inTeam) throw invalidUrlParam('team_id');
  if (!SORTS.has(sort)) throw invalidUrlParam('sort');
  const teamOnly = inTeam && !inChannel && !notInChannel && !notInTeam;
  if ((sort === 'last_activity_at' || sort === 'create_at') && !teamOnly) throw invalidUrlParam('sort');
  if ((sort === 'status' || sort === 'admin') && !inChannel) throw invalidUrlParam('sort');
  if (inactive && active) throw invalidUrlParam('inactive');

  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const clauses: string[] = [];
  if (inactive) clauses.push('u.delete_at > 0');
  if (active) clauses.push('u.delete_at = 0');
  let order = 'u.username';
  if (withoutTeam) {
    if (!isSystemAdmin(ctx.me.roles)) throw forbidden('sysconsole_read_user_management_users');
    clauses.push('u.id NOT IN (SELECT user_id FROM team_members WHERE delete_at = 0)');
  } else if (notInChannel) {
    await readableChannel(ctx, s, notInChannel);
    clauses.push(IN_TEAM(p(inTeam)), `NOT ${IN_CHANNEL(p(notInChannel))}`);
  } else if (notInTeam) {
    if (!(await canViewTeam(s.db, notInTeam, ctx.me))) throw forbidden('view_team');
    clauses.push(`NOT ${IN_TEAM(p(notInTeam))}`);
  } else if (inTeam) {
    if (!(await canViewTeam(s.db, inTeam, ctx.me))) throw forbidden('view_team');
    clauses.push(IN_TEAM(p(inTeam)));
    if (inChannel) {
      await readableChannel(ctx, s, inChannel);
      clauses.push(IN_CHANNEL(p(inChannel)));
    }
    if (sort === 'create_at') order = 'u.create_at DESC, u.id';
  } else if (inChannel) {
    await readableChannel(ctx, s, inChannel);
    clauses.push(IN_CHANNEL(p(inChannel)));
  }
  const where = clauses.length > 0 ? clauses.join(' AND ') : 'true';
  return usersWhere(s, 'UserStore.GetProfiles', where, params, order, perPage, page);
}

export function registerUserListRoutes(api: ApiRouter): void {
  api.get('/api/v4/users', 'getUsers', async (ctx, s) => ok(await getUsers(ctx, s)));

  api.get('/api/v4/users/autocomplete', 'autocompleteUsers', async (ctx, s) => {
    const teamId = idQuery(ctx, 'in_team', 'team_id');
    const channelId = idQuery(ctx, 'in_channel', 'channel_id');
    const name = (ctx.query.get('name') ?? '').toLowerCase().replace(/^@/, '');
    const limit = Math.min(Math.max(ctx.intQuery('limit', AUTOCOMPLETE_LIMIT), 1), AUTOCOMPLETE_LIMIT);
    const like = `${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matches =
      '(lower(u.username) LIKE $1 OR lower(u.first_name) LIKE $1 OR lower(u.last_name) LIKE $1 OR lower(u.nickname) LIKE $1) AND u.delete_at = 0';
    if (channelId) {
      // Mattermost needs the team to split channel members from the rest of the team.
      if (!teamId)
        throw new AppError(
          'api.user.autocomplete_users.missing_team_id.app_error',
          'Team id parameter is required for autocomplete.',
          500,
        );
      await readableChannel(ctx, s, channelId);
      const users = await usersWhere(
        s,
        'UserStore.AutocompleteUsersInChannel',
        `${matches} AND ${IN_CHANNEL('$2')}`,
        [like, channelId],
        'u.username',
        limit,
        0,
      );
      const outOf = await usersWhere(
        s,
        'UserStore.AutocompleteUsersInChannel',
        `${matches} AND ${IN_TEAM('$2')} AND NOT ${IN_CHANNEL('$3')}`,
        [like, teamId, channelId],
        'u.username',
        limit,
        0,
      );
      return ok({ users, out_of_channel: outOf });
    }
    if (teamId) {
      if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
      return ok({
        users: await usersWhere(
          s,
          'UserStore.Search',
          `${matches} AND ${IN_TEAM('$2')}`,
          [like, teamId],
          'u.username',
          limit,
          0,
        ),
      });
    }
    return ok({ users: await usersWhere(s, 'UserStore.Search', matches, [like], 'u.username', limit, 0) });
  });

  api.get('/api/v4/users/username/:username', 'getUserByUsername', async (ctx, s) => {
    const username = ctx.param('username').toLowerCase();
    if (!/^[a-z0-9_.-]+$/.test(username)) throw invalidUrlParam('username');
    const { rows } = await s.db.read<UserRow>(
      'UserStore.GetByUsername',
      `SELECT ${USER_COLUMNS} FROM users WHERE username = $1`,
      [username],
    );
    if (!rows[0])
      throw new AppError(
        'app.user.get_by_username.app_error',
        'Unable to find an existing account matching your username for this team.',
        404,
        `username=${username}`,
      );
    return ok(toUser(rows[0]));
  });

  // GenerateUserReport (system admins): pages of users keyed by username.
  api.get('/api/v4/reports/users', 'getUsersForReporting', async (ctx, s) => {
    if (!isSystemAdmin(ctx.me.roles)) throw forbidden('sysconsole_read_user_management_users');
    const pageSize = Math.min(Math.max(ctx.intQuery('page_size', 50), 1), 100);
    const from = ctx.query.get('from_column_value') ?? '';
    const { rows } = await s.db.read<UserRow>(
      'UserStore.GetUserReport',
      `SELECT ${USER_COLUMNS} FROM users WHERE username > $1 ORDER BY username LIMIT $2`,
      [from, pageSize],
    );
    return ok(
      rows.map((r) => ({
        ...toUser(r),
        last_login: 0,
        last_status_at: 0,
        last_post_date: 0,
        days_active: 0,
        total_posts: 0,
      })),
    );
  });
}
