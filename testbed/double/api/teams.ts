import { ok } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { Services } from '../services.js';
import {
  adminTeamIds,
  canManageTeam,
  canViewTeam,
  getTeamMember,
  insertTeamWithDefaultChannels,
  joinTeam,
  requireTeam,
  requireTeamByName,
  TEAM_COLUMNS,
  TEAM_MEMBER_COLUMNS,
  type TeamJoin,
  type TeamMemberRow,
  type TeamRow,
  toTeam,
  toTeamMember,
} from '../store/teams.js';
import { isSystemAdmin, requireUser } from '../store/users.js';
import { broadcastTo } from '../ws/broadcast.js';
import { idParam, isReservedTeamName, isValidTeamName, teamNameParam, userIdParam } from './params.js';

const DISPLAY_NAME_MAX_RUNES = 64;
const TEAM_NAME_MAX_LENGTH = 64;
const DESCRIPTION_MAX_LENGTH = 255;

function invalidTeam(field: string, message: string): AppError {
  return new AppError(`model.team.is_valid.${field}.app_error`, message, 400);
}

/** Team.IsValid, in Mattermost's order. */
function validateTeam(name: string, displayName: string, description: string, type: string): void {
  const runes = [...displayName].length;
  if (runes === 0 || runes > DISPLAY_NAME_MAX_RUNES) throw invalidTeam('name', 'Invalid name.');
  if (name.length > TEAM_NAME_MAX_LENGTH) throw invalidTeam('url', 'Invalid URL Identifier.');
  if (description.length > DESCRIPTION_MAX_LENGTH) throw invalidTeam('description', 'Invalid description.');
  if (isReservedTeamName(name)) throw invalidTeam('reserved', 'This URL is unavailable. Please try another.');
  if (!isValidTeamName(name))
    throw invalidTeam('characters', 'Name must be 2 or more lowercase alphanumeric characters.');
  if (type !== 'O' && type !== 'I') throw invalidTeam('type', 'Invalid type.');
}

/** Events of a team join, published after COMMIT: the user learns of the team, the channels of the user. */
function publishJoin(s: Services, teamId: string, userId: string, join: TeamJoin): void {
  if (!join.joined) return;
  s.events.publish({
    event: 'added_to_team',
    data: { team_id: teamId, user_id: userId },
    broadcast: broadcastTo({ user_id: userId }),
  });
  for (const channelId of join.channelIds) {
    s.events.publish({
      event: 'user_added',
      data: { user_id: userId, team_id: teamId },
      broadcast: broadcastTo({ channel_id: channelId }),
    });
  }
}

export function registerTeamRoutes(api: ApiRouter): void {
  api.post('/api/v4/teams', 'createTeam', async (ctx, s) => {
    const body = await ctx.object('team');
    const name = body.optionalString('name');
    const displayName = body.optionalString('display_name');
    const description = body.optionalString('description');
    const type = body.optionalString('type');
    validateTeam(name, displayName, description, type);
    const creator = await requireUser(s.db, ctx.me.user_id);
    const now = Date.now();
    const { team, join } = await s.db.tx('TeamStore.Save', async (c) => {
      const team = await insertTeamWithDefaultChannels(
        c,
        {
          name,
          display_name: displayName,
          description,
          email: creator.email,
          type: type as TeamRow['type'],
          allow_open_invite: body.optionalBoolean('allow_open_invite'),
        },
        now,
      );
      if (!team) {
        // Mattermost's text for a taken team name (TeamStore.Save reports it as invalid input).
        throw new AppError('app.team.save.existing.app_error', 'Must call update for existing team.', 400);
      }
      return { team, join: await joinTeam(c, team.id, creator.id, true, now) };
    });
    publishJoin(s, team.id, creator.id, join);
    // Not sanitized: the creator is the team's admin.
    return ok(toTeam(team, false), 201);
  });

  api.get('/api/v4/teams', 'getAllTeams', async (ctx, s) => {
    const { page, perPage } = ctx.paging();
    const admin = isSystemAdmin(ctx.me.roles);
    // Without list_private_teams (system admins only) a user lists the teams open to join.
    const where = admin ? 'delete_at = 0' : 'delete_at = 0 AND allow_open_invite';
    const { rows } = await s.db.read<TeamRow>(
      'TeamStore.GetAllPage',
      `SELECT ${TEAM_COLUMNS} FROM teams WHERE ${where} ORDER BY display_name, id LIMIT $1 OFFSET $2`,
      [perPage, page * perPage],
    );
    const teams = await sanitizeTeams(s, ctx.me, rows);
    if (ctx.query.get('include_total_count') !== 'true') return ok(teams);
    const { rows: count } = await s.db.read<{ n: number }>(
      'TeamStore.AnalyticsTeamCount',
      `SELECT count(*)::bigint AS n FROM teams WHERE ${where}`,
    );
    return ok({ teams, total_count: count[0]?.n ?? 0 });
  });

  api.get('/api/v4/teams/:team_id', 'getTeam', async (ctx, s) => {
    const team = await requireTeam(s.db, idParam(ctx, 'team_id'));
    return ok(await visibleTeam(s, ctx.me, team));
  });

  api.get('/api/v4/teams/name/:team_name', 'getTeamByName', async (ctx, s) => {
    const team = await requireTeamByName(s.db, teamNameParam(ctx));
    return ok(await visibleTeam(s, ctx.me, team));
  });

  api.get('/api/v4/users/:user_id/teams', 'getTeamsForUser', async (ctx, s) => {
    const userId = userIdParam(ctx);
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('read other users teams');
    const { rows } = await s.db.read<TeamRow>(
      'TeamStore.GetTeamsByUserId',
      `SELECT ${prefixed('t', TEAM_COLUMNS)} FROM teams t JOIN team_members m ON m.team_id = t.id
        WHERE m.user_id = $1 AND m.delete_at = 0 AND t.delete_at = 0 ORDER BY t.display_name, t.id`,
      [userId],
    );
    return ok(await sanitizeTeams(s, ctx.me, rows));
  });

  api.post('/api/v4/teams/:team_id/members', 'addTeamMember', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    let raw: unknown;
    try {
      raw = await ctx.json('team_member');
    } catch (err) {
      if (!(err instanceof AppError) || err.id !== 'api.context.invalid_body_param.app_error') throw err;
      throw new AppError(
        'api.team.add_team_member.invalid_body.app_error',
        'Unable to parse the request body.',
        400,
        err.detailedError,
      );
    }
    const member = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    if (member.team_id !== teamId) throw invalidBodyParam('team_id');
    const userId = member.user_id;
    if (!isValidId(userId)) throw invalidBodyParam('user_id');
    if (userId === ctx.me.user_id) {
      // Joining yourself needs an open team (join_public_teams); join_private_teams is admins' only.
      const team = await requireTeam(s.db, teamId);
      if (!team.allow_open_invite && !isSystemAdmin(ctx.me.roles)) throw forbidden('join private team');
    } else if (!(await canViewTeam(s.db, teamId, ctx.me))) {
      // add_user_to_team belongs to every team member.
      throw forbidden('add user to team');
    }
    await requireTeam(s.db, teamId);
    await requireUser(s.db, userId);
    const join = await s.db.tx('TeamStore.SaveMember', (c) => joinTeam(c, teamId, userId, false, Date.now()));
    publishJoin(s, teamId, userId, join);
    return ok(toTeamMember(join.member), 201);
  });

  api.get('/api/v4/teams/:team_id/members', 'getTeamMembers', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    const { page, perPage } = ctx.paging();
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view team');
    const { rows } = await s.db.read<TeamMemberRow>(
      'TeamStore.GetMembers',
      `SELECT ${TEAM_MEMBER_COLUMNS} FROM team_members WHERE team_id = $1 AND delete_at = 0
        ORDER BY user_id LIMIT $2 OFFSET $3`,
      [teamId, perPage, page * perPage],
    );
    return ok(rows.map(toTeamMember));
  });

  api.get('/api/v4/teams/:team_id/members/:user_id', 'getTeamMember', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    const userId = userIdParam(ctx);
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view team');
    const member = await getTeamMember(s.db, teamId, userId);
    if (!member) {
      throw new AppError(
        'app.team.get_member.missing.app_error',
        'No team member found for that user ID and team ID.',
        404,
        `team_id=${teamId}, user_id=${userId}`,
      );
    }
    return ok(toTeamMember(member));
  });

  api.get('/api/v4/users/:user_id/teams/members', 'getTeamMembersForUser', async (ctx, s) => {
    const userId = userIdParam(ctx);
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('read other users teams');
    const { rows } = await s.db.read<TeamMemberRow>(
      'TeamStore.GetTeamsForUser',
      `SELECT ${prefixed('m', TEAM_MEMBER_COLUMNS)} FROM team_members m JOIN teams t ON t.id = m.team_id
        WHERE m.user_id = $1 AND m.delete_at = 0 AND t.delete_at = 0 ORDER BY m.team_id`,
      [userId],
    );
    return ok(rows.map(toTeamMember));
  });
}

/** getTeam's rule: an open team is visible to everyone, an invite-only one to its members. */
async function visibleTeam(s: Services, session: { user_id: string; roles: string }, team: TeamRow) {
  const open = team.allow_open_invite && team.type === 'O';
  if (!open && !(await canViewTeam(s.db, team.id, session))) throw forbidden(`team_id=${team.id}`);
  return toTeam(team, !(await canManageTeam(s.db, team.id, session)));
}

async function sanitizeTeams(s: Services, session: { user_id: string; roles: string }, rows: TeamRow[]) {
  if (isSystemAdmin(session.roles)) return rows.map((t) => toTeam(t, false));
  const managed = await adminTeamIds(s.db, session.user_id);
  return rows.map((t) => toTeam(t, !managed.has(t.id)));
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(',')
    .map((c) => `${alias}.${c.trim()}`)
    .join(', ');
}
