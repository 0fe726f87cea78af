import { AppError } from '../http/errors.js';
import { newId } from '../model/ids.js';
import type { Team, TeamMember } from '../model/types.js';
import { type ChannelMemberRow, channelMemberRoles, insertChannel } from './channels.js';
import type { Database, Queryable } from './db.js';
import { isSystemAdmin } from './users.js';

export interface TeamRow {
  id: string;
  name: string;
  display_name: string;
  description: string;
  email: string;
  type: 'O' | 'I';
  invite_id: string;
  allow_open_invite: boolean;
  create_at: number;
  update_at: number;
  delete_at: number;
}

export const TEAM_COLUMNS =
  'id, name, display_name, description, email, type, invite_id, allow_open_invite, create_at, update_at, delete_at';

/** The team on the wire; `sanitized` hides email and invite id, as for callers who cannot manage it. */
export function toTeam(row: TeamRow, sanitized: boolean): Team {
  return {
    id: row.id,
    create_at: row.create_at,
    update_at: row.update_at,
    delete_at: row.delete_at,
    display_name: row.display_name,
    name: row.name,
    description: row.description,
    email: sanitized ? '' : row.email,
    type: row.type,
    company_name: '',
    allowed_domains: '',
    invite_id: sanitized ? '' : row.invite_id,
    allow_open_invite: row.allow_open_invite,
    scheme_id: null,
    group_constrained: null,
    policy_id: null,
    cloud_limits_archived: false,
  };
}

export interface TeamMemberRow {
  team_id: string;
  user_id: string;
  roles: string;
  scheme_admin: boolean;
  delete_at: number;
}

export const TEAM_MEMBER_COLUMNS = 'team_id, user_id, roles, scheme_admin, delete_at';

export function toTeamMember(row: TeamMemberRow): TeamMember {
  return {
    team_id: row.team_id,
    user_id: row.user_id,
    roles: row.roles,
    delete_at: row.delete_at,
    scheme_guest: false,
    scheme_user: true,
    scheme_admin: row.scheme_admin,
    explicit_roles: '',
  };
}

/** Mattermost reports scheme roles in `roles`: every member is team_user, admins add team_admin. */
export function teamMemberRoles(admin: boolean): string {
  return admin ? 'team_user team_admin' : 'team_user';
}

// The channels every team starts with and every new member joins (TeamSettings.ExperimentalDefaultChannels).
export const DEFAULT_CHANNELS = [
  { name: 'town-square', display_name: 'Town Square' },
  { name: 'off-topic', display_name: 'Off-Topic' },
] as const;

export function teamNotFound(id: string): AppError {
  return new AppError('app.team.get.find.app_error', 'Unable to find the existing team.', 404, `id=${id}`);
}

export async function getTeam(db: Database, id: string): Promise<TeamRow | null> {
  const { rows } = await db.readFresh<TeamRow>(
    'TeamStore.Get',
    `SELECT ${TEAM_COLUMNS} FROM teams WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function requireTeam(db: Database, id: string): Promise<TeamRow> {
  const team = await getTeam(db, id);
  if (!team) throw teamNotFound(id);
  return team;
}

export async function requireTeamByName(db: Database, name: string): Promise<TeamRow> {
  const { rows } = await db.readFresh<TeamRow>(
    'TeamStore.GetByName',
    `SELECT ${TEAM_COLUMNS} FROM teams WHERE name = $1`,
    [name],
  );
  const team = rows[0];
  if (!team)
    throw new AppError(
      'app.team.get_by_name.missing.app_error',
      'Unable to find the existing team.',
      404,
      `name=${name}`,
    );
  return team;
}

/** The caller's active membership in a team, or null. */
export async function getTeamMember(
  db: Database,
  teamId: string,
  userId: string,
): Promise<TeamMemberRow | null> {
  const { rows } = await db.readFresh<TeamMemberRow>(
    'TeamStore.GetMember',
    `SELECT ${TEAM_MEMBER_COLUMNS} FROM team_members WHERE team_id = $1 AND user_id = $2 AND delete_at = 0`,
    [teamId, userId],
  );
  return rows[0] ?? null;
}

/** Mattermost's view_team permission: any active member, or a system admin. */
export async function canViewTeam(
  db: Database,
  teamId: string,
  session: { user_id: string; roles: string },
): Promise<boolean> {
  if (isSystemAdmin(session.roles)) return true;
  return (await getTeamMember(db, teamId, session.user_id)) !== null;
}

/** Whether the caller may see the team's email and invite id (manage_team: team or system admin). */
export async function canManageTeam(
  db: Database,
  teamId: string,
  session: { user_id: string; roles: string },
): Promise<boolean> {
  if (isSystemAdmin(session.roles)) return true;
  return (await getTeamMember(db, teamId, session.user_id))?.scheme_admin ?? false;
}

/** Ids of the teams the user administers, to sanitize team lists in one query. */
export async function adminTeamIds(db: Database, userId: string): Promise<Set<string>> {
  const { rows } = await db.read<{ team_id: string }>(
    'TeamStore.GetTeamsForUser',
    'SELECT team_id FROM team_members WHERE user_id = $1 AND delete_at = 0 AND scheme_admin',
    [userId],
  );
  return new Set(rows.map((r) => r.team_id));
}

export interface NewTeam {
  name: string;
  display_name: string;
  description: string;
  email: string;
  type: 'O' | 'I';
  allow_open_invite: boolean;
}

/**
 * Inserts the team and its default channels. Returns null when the name is taken (the unique
 * index decides, so two concurrent creations cannot both win).
 */
export async function insertTeamWithDefaultChannels(
  client: Queryable,
  team: NewTeam,
  now: number,
): Promise<TeamRow | null> {
  const { rows } = await client.query<TeamRow>(
    `INSERT INTO teams (id, name, display_name, description, email, type, invite_id, allow_open_invite, create_at, update_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)
     ON CONFLICT (name) DO NOTHING RETURNING ${TEAM_COLUMNS}`,
    [
      newId(),
      team.name,
      team.display_name,
      team.description,
      team.email,
      team.type,
      newId(),
      team.allow_open_invite,
      now,
    ],
  );
  const row = rows[0];
  if (!row) return null;
  for (const channel of DEFAULT_CHANNELS) {
    await insertChannel(client, {
      team_id: row.id,
      type: 'O',
      name: channel.name,
      display_name: channel.display_name,
      creator_id: '',
      now,
    });
  }
  return row;
}

export interface TeamJoin {
  member: TeamMemberRow;
  /** False when the user already was an active member (nothing changed, no events). */
  joined: boolean;
  /** Default channels the user was added to by this join. */
  channelIds: string[];
}

/**
 * Makes the user an active team member (reactivating a left membership) and joins them to the
 * team's default channels, as Mattermost's JoinUserToTeam does.
 */
export async function joinTeam(
  client: Queryable,
  teamId: string,
  userId: string,
  admin: boolean,
  now: number,
): Promise<TeamJoin> {
  const existing = await client.query<TeamMemberRow>(
    `SELECT ${TEAM_MEMBER_COLUMNS} FROM team_members WHERE team_id = $1 AND user_id = $2 FOR UPDATE`,
    [teamId, userId],
  );
  const current = existing.rows[0];
  if (current && current.delete_at === 0) return { member: current, joined: false, channelIds: [] };
  const { rows } = await client.query<TeamMemberRow>(
    `INSERT INTO team_members (team_id, user_id, roles, scheme_admin, delete_at) VALUES ($1,$2,$3,$4,0)
     ON CONFLICT (team_id, user_id) DO UPDATE SET delete_at = 0
     RETURNING ${TEAM_MEMBER_COLUMNS}`,
    [teamId, userId, teamMemberRoles(admin), admin],
  );
  const added = await client.query<Pick<ChannelMemberRow, 'channel_id'>>(
    `INSERT INTO channel_members (channel_id, user_id, roles, scheme_admin, last_update_at)
     SELECT id, $2, $3, false, $4 FROM channels
      WHERE team_id = $1 AND name = ANY($5) AND delete_at = 0
     ON CONFLICT (channel_id, user_id) DO NOTHING
     RETURNING channel_id`,
    [teamId, userId, channelMemberRoles(false), now, DEFAULT_CHANNELS.map((c) => c.name)],
  );
  return { member: rows[0]!, joined: true, channelIds: added.rows.map((r) => r.channel_id) };
}
