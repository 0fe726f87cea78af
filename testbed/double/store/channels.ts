import { AppError, forbidden } from '../http/errors.js';
import { newId } from '../model/ids.js';
import type { Channel, ChannelMember, ChannelType } from '../model/types.js';
import type { Database, Queryable } from './db.js';

export interface ChannelRow {
  id: string;
  team_id: string;
  type: ChannelType;
  name: string;
  display_name: string;
  header: string;
  purpose: string;
  creator_id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  last_post_at: number;
  last_root_post_at: number;
  total_msg_count: number;
  total_msg_count_root: number;
}

export const CHANNEL_COLUMNS =
  'id, team_id, type, name, display_name, header, purpose, creator_id, create_at, update_at, delete_at, last_post_at, last_root_post_at, total_msg_count, total_msg_count_root';

export function toChannel(row: ChannelRow): Channel {
  return {
    ...row,
    extra_update_at: 0,
    scheme_id: null,
    props: null,
    group_constrained: null,
    shared: null,
    policy_id: null,
    autotranslation: false,
    banner_info: null,
    policy_enforced: false,
    policy_is_active: false,
    default_category_name: '',
    managed_category_name: '',
    discoverable: false,
  };
}

export interface ChannelMemberRow {
  channel_id: string;
  user_id: string;
  roles: string;
  scheme_admin: boolean;
  last_viewed_at: number;
  msg_count: number;
  msg_count_root: number;
  mention_count: number;
  last_update_at: number;
}

export const CHANNEL_MEMBER_COLUMNS =
  'channel_id, user_id, roles, scheme_admin, last_viewed_at, msg_count, msg_count_root, mention_count, last_update_at';

export function toChannelMember(row: ChannelMemberRow): ChannelMember {
  return {
    channel_id: row.channel_id,
    user_id: row.user_id,
    roles: row.roles,
    last_viewed_at: row.last_viewed_at,
    msg_count: row.msg_count,
    msg_count_root: row.msg_count_root,
    mention_count: row.mention_count,
    mention_count_root: 0,
    urgent_mention_count: 0,
    notify_props: {
      desktop: 'default',
      email: 'default',
      mark_unread: 'all',
      push: 'default',
      ignore_channel_mentions: 'default',
    },
    last_update_at: row.last_update_at,
    scheme_guest: false,
    scheme_user: true,
    scheme_admin: row.scheme_admin,
    explicit_roles: '',
    autotranslation_disabled: false,
  };
}

export async function getChannel(db: Database, id: string, client?: Queryable): Promise<ChannelRow | null> {
  const sql = `SELECT ${CHANNEL_COLUMNS} FROM channels WHERE id = $1`;
  const { rows } = client
    ? await client.query<ChannelRow>(sql, [id])
    : await db.readFresh<ChannelRow>('ChannelStore.Get', sql, [id]);
  return rows[0] ?? null;
}

export async function requireChannel(db: Database, id: string): Promise<ChannelRow> {
  const channel = await getChannel(db, id);
  if (!channel)
    throw new AppError(
      'app.channel.get.existing.app_error',
      'Unable to find the existing channel.',
      404,
      `channel_id=${id}`,
    );
  return channel;
}

export async function isChannelMember(db: Database, channelId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.readFresh(
    'ChannelStore.GetMember',
    'SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2',
    [channelId, userId],
  );
  return (rowCount ?? 0) > 0;
}

/** The channel, if the caller may read it: a member, or any team member for an open channel. */
export async function requireChannelAccess(
  db: Database,
  channelId: string,
  userId: string,
): Promise<ChannelRow> {
  const channel = await requireChannel(db, channelId);
  if (await isChannelMember(db, channelId, userId)) return channel;
  if (channel.type === 'O') {
    const { rowCount } = await db.readFresh(
      'TeamStore.GetMember',
      'SELECT 1 FROM team_members WHERE team_id = $1 AND user_id = $2 AND delete_at = 0',
      [channel.team_id, userId],
    );
    if ((rowCount ?? 0) > 0) return channel;
  }
  throw forbidden(`channel_id=${channelId}`);
}

/** User ids of a channel's members (used for DM/GM display names and thread participants). */
export async function channelMemberIds(db: Database, channelId: string): Promise<string[]> {
  const { rows } = await db.read<{ user_id: string }>(
    'ChannelStore.GetMemberIds',
    'SELECT user_id FROM channel_members WHERE channel_id = $1',
    [channelId],
  );
  return rows.map((r) => r.user_id);
}

// --- Channel creation and membership (teams/channels work) ---

/** Mattermost reports scheme roles in `roles`: every member is channel_user, admins add channel_admin. */
export function channelMemberRoles(admin: boolean): string {
  return admin ? 'channel_user channel_admin' : 'channel_user';
}

export interface NewChannel {
  team_id: string;
  type: ChannelType;
  name: string;
  display_name: string;
  creator_id: string;
  header?: string;
  purpose?: string;
  now: number;
}

/**
 * Inserts a channel; returns null when (team_id, name) is taken. The unique index decides, so
 * concurrent creations of one name (or of one DM) cannot both succeed.
 */
export async function insertChannel(client: Queryable, channel: NewChannel): Promise<ChannelRow | null> {
  const { rows } = await client.query<ChannelRow>(
    `INSERT INTO channels (id, team_id, type, name, display_name, header, purpose, creator_id, create_at, update_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)
     ON CONFLICT (team_id, name) DO NOTHING RETURNING ${CHANNEL_COLUMNS}`,
    [
      newId(),
      channel.team_id,
      channel.type,
      channel.name,
      channel.display_name,
      channel.header ?? '',
      channel.purpose ?? '',
      channel.creator_id,
      channel.now,
    ],
  );
  return rows[0] ?? null;
}

export async function getChannelByName(
  db: Database,
  teamId: string,
  name: string,
  client?: Queryable,
): Promise<ChannelRow | null> {
  const sql = `SELECT ${CHANNEL_COLUMNS} FROM channels WHERE team_id = $1 AND name = $2`;
  const { rows } = client
    ? await client.query<ChannelRow>(sql, [teamId, name])
    : await db.readFresh<ChannelRow>('ChannelStore.GetByName', sql, [teamId, name]);
  return rows[0] ?? null;
}

export async function getChannelMember(
  db: Database,
  channelId: string,
  userId: string,
): Promise<ChannelMemberRow | null> {
  const { rows } = await db.readFresh<ChannelMemberRow>(
    'ChannelStore.GetMember',
    `SELECT ${CHANNEL_MEMBER_COLUMNS} FROM channel_members WHERE channel_id = $1 AND user_id = $2`,
    [channelId, userId],
  );
  return rows[0] ?? null;
}

export function channelMemberNotFound(channelId: string, userId: string): AppError {
  return new AppError(
    'app.channel.get_member.missing.app_error',
    'No channel member found for that user ID and channel ID.',
    404,
    `channel_id=${channelId}, user_id=${userId}`,
  );
}

/** Adds a member; returns null if the user already was one. */
export async function insertChannelMember(
  client: Queryable,
  channelId: string,
  userId: string,
  admin: boolean,
  now: number,
): Promise<ChannelMemberRow | null> {
  const { rows } = await client.query<ChannelMemberRow>(
    `INSERT INTO channel_members (channel_id, user_id, roles, scheme_admin, last_update_at) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (channel_id, user_id) DO NOTHING RETURNING ${CHANNEL_MEMBER_COLUMNS}`,
    [channelId, userId, channelMemberRoles(admin), admin, now],
  );
  return rows[0] ?? null;
}
