import { AppError } from '../http/errors.js';
import type { User } from '../model/types.js';
import type { Database, Queryable } from './db.js';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  nickname: string;
  first_name: string;
  last_name: string;
  position: string;
  roles: string;
  locale: string;
  create_at: number;
  update_at: number;
  delete_at: number;
}

export const USER_COLUMNS =
  'id, username, email, password_hash, nickname, first_name, last_name, position, roles, locale, create_at, update_at, delete_at';

/** The user as the API returns it: never the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    create_at: row.create_at,
    update_at: row.update_at,
    delete_at: row.delete_at,
    username: row.username,
    auth_service: '',
    email: row.email,
    email_verified: true,
    nickname: row.nickname,
    first_name: row.first_name,
    last_name: row.last_name,
    position: row.position,
    roles: row.roles,
    locale: row.locale,
    timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' },
    notify_props: {
      channel: 'true',
      comments: 'never',
      desktop: 'mention',
      desktop_sound: 'true',
      email: 'true',
      first_name: 'false',
      mention_keys: '',
      push: 'mention',
      push_status: 'away',
    },
    props: {},
    last_password_update: row.create_at,
    disable_welcome_email: false,
  };
}

export async function getUser(db: Database, id: string, client?: Queryable): Promise<UserRow | null> {
  const sql = `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`;
  const { rows } = client
    ? await client.query<UserRow>(sql, [id])
    : await db.readFresh<UserRow>('UserStore.Get', sql, [id]);
  return rows[0] ?? null;
}

export async function requireUser(db: Database, id: string): Promise<UserRow> {
  const user = await getUser(db, id);
  if (!user)
    throw new AppError('app.user.missing_account.const', 'Unable to find the user.', 404, `user_id=${id}`);
  return user;
}

export function isSystemAdmin(roles: string): boolean {
  return roles.split(' ').includes('system_admin');
}
