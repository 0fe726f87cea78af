import { expectStringArray } from '../http/body.js';
import { ok } from '../http/context.js';
import { AppError, forbidden, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId, newId } from '../model/ids.js';
import type { User } from '../model/types.js';
import { hashPassword, verifyPassword } from '../store/sessions.js';
import { isSystemAdmin, requireUser, toUser, USER_COLUMNS, type UserRow } from '../store/users.js';

const USERNAME = /^[a-z][a-z0-9.\-_]{2,21}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const MIN_PASSWORD_LENGTH = 8;
// Serializes user creation cluster-wide so exactly one "first user" becomes system admin.
const FIRST_USER_LOCK = 7_366_510_002;

function invalidUser(field: string, message: string): AppError {
  return new AppError(`model.user.is_valid.${field}.app_error`, message, 400);
}

export function registerUserRoutes(api: ApiRouter): void {
  api.post(
    '/api/v4/users',
    'createUser',
    async (ctx, s) => {
      const body = await ctx.object('user');
      const username = body.optionalString('username').toLowerCase();
      const email = body.optionalString('email').toLowerCase();
      const password = body.optionalString('password');
      if (!USERNAME.test(username))
        invalidUserThrow(
          'username',
          'Username must begin with a letter and contain between 3 to 22 lowercase characters made up of numbers, letters, and the symbols ".", "-", and "_".',
        );
      if (!EMAIL.test(email)) invalidUserThrow('email', 'Invalid email.');
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new AppError(
          'model.user.is_valid.pwd_length.app_error',
          `Your password must contain at least ${MIN_PASSWORD_LENGTH} characters.`,
          400,
        );
      }
      const now = Date.now();
      const passwordHash = await hashPassword(password);
      const row = await s.db.tx('UserStore.Save', async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [FIRST_USER_LOCK]);
        const taken = await c.query<{ username: string; email: string }>(
          'SELECT username, email FROM users WHERE username = $1 OR email = $2',
          [username, email],
        );
        for (const t of taken.rows) {
          if (t.username === username) {
            throw new AppError(
              'app.user.save.username_exists.app_error',
              'An account with that username already exists.',
              400,
            );
          }
          throw new AppError(
            'app.user.save.email_exists.app_error',
            'An account with that email already exists.',
            400,
          );
        }
        const first = (await c.query('SELECT 1 FROM users LIMIT 1')).rowCount === 0;
        const { rows } = await c.query<UserRow>(
          `INSERT INTO users (id, username, email, password_hash, nickname, first_name, last_name, roles, create_at, update_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) RETURNING ${USER_COLUMNS}`,
          [
            newId(),
            username,
            email,
            passwordHash,
            body.optionalString('nickname'),
            body.optionalString('first_name'),
            body.optionalString('last_name'),
            first ? 'system_admin system_user' : 'system_user',
            now,
          ],
        );
        return rows[0]!;
      });
      return ok(toUser(row), 201);
    },
    { auth: false },
  );

  api.post(
    '/api/v4/users/login',
    'login',
    async (ctx, s) => {
      const body = await ctx.object('login');
      const loginId = body.optionalString('login_id').toLowerCase();
      const password = body.optionalString('password');
      if (!loginId)
        throw new AppError('api.user.login.blank_pwd.app_error', 'Password field must not be blank', 400);
      const { rows } = await s.db.read<UserRow>(
        'UserStore.GetForLogin',
        `SELECT ${USER_COLUMNS} FROM users WHERE (username = $1 OR email = $1) AND delete_at = 0`,
        [loginId],
      );
      const row = rows[0];
      if (!row || !(await verifyPassword(password, row.password_hash))) {
        throw new AppError(
          'api.user.login.invalid_credentials_email_username',
          'Enter a valid email or username and/or password.',
          401,
        );
      }
      const session = await s.sessions.create(row.id, row.roles);
      return {
        status: 200,
        body: toUser(row),
        headers: {
          Token: session.token,
          'Set-Cookie': `MMAUTHTOKEN=${session.token}; Path=/; HttpOnly; SameSite=Lax`,
        },
      };
    },
    { auth: false },
  );

  api.post('/api/v4/users/logout', 'logout', async (ctx, s) => {
    await s.sessions.revoke(ctx.me.token);
    return ok({ status: 'OK' });
  });

  api.get('/api/v4/users/me', 'getUser', async (ctx, s) =>
    ok(toUser(await requireUser(s.db, ctx.me.user_id))),
  );

  api.get('/api/v4/users/:user_id', 'getUser', async (ctx, s) => {
    const id = ctx.param('user_id');
    if (!isValidId(id)) throw invalidUrlParam('user_id');
    return ok(toUser(await requireUser(s.db, id)));
  });

  api.post('/api/v4/users/ids', 'getUsersByIds', async (ctx, s) => {
    const ids = expectStringArray(await ctx.json('user_ids'), 'user_ids');
    // ?since=<ms>: only users updated after it (the resync's "modified users" check).
    const since = ctx.intQuery('since', 0);
    if (ids.length === 0) return ok([]);
    const { rows } = await s.db.read<UserRow>(
      'UserStore.GetProfileByIds',
      `SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1) AND update_at > $2`,
      [ids, since],
    );
    return ok(rows.map(toUser));
  });

  api.post('/api/v4/users/usernames', 'getUsersByNames', async (ctx, s) => {
    const names = expectStringArray(await ctx.json('usernames'), 'usernames');
    const { rows } = await s.db.read<UserRow>(
      'UserStore.GetProfilesByUsernames',
      `SELECT ${USER_COLUMNS} FROM users WHERE username = ANY($1)`,
      [names],
    );
    return ok(rows.map(toUser));
  });

  // Search users: prefix match on username, names and nickname, optionally within a team.
  api.post('/api/v4/users/search', 'searchUsers', async (ctx, s) => {
    const body = await ctx.object('search');
    const term = body.optionalString('term').toLowerCase().replace(/^@/, '');
    const teamId = body.optionalString('team_id');
    const limit = Math.min(body.optionalNumber('limit', 100), 1000);
    const like = `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const params: unknown[] = [like, limit];
    let teamFilter = '';
    if (teamId) {
      params.push(teamId);
      teamFilter = 'AND id IN (SELECT user_id FROM team_members WHERE team_id = $3 AND delete_at = 0)';
    }
    const { rows } = await s.db.read<UserRow>(
      'UserStore.Search',
      `SELECT ${USER_COLUMNS} FROM users
        WHERE delete_at = 0 AND (lower(username) LIKE $1 OR lower(first_name) LIKE $1 OR lower(last_name) LIKE $1 OR lower(nickname) LIKE $1) ${teamFilter}
        ORDER BY username LIMIT $2`,
      params,
    );
    return ok(rows.map(toUser));
  });

  api.put('/api/v4/users/:user_id/patch', 'patchUser', async (ctx, s) => {
    const id = ctx.param('user_id');
    if (!isValidId(id)) throw invalidUrlParam('user_id');
    if (id !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('patch another user');
    const body = await ctx.object('user');
    const current = await requireUser(s.db, id);
    const { rows } = await s.db.write<UserRow>(
      'UserStore.Update',
      `UPDATE users SET nickname = $2, first_name = $3, last_name = $4, position = $5, update_at = $6 WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      [
        id,
        body.optionalString('nickname', current.nickname),
        body.optionalString('first_name', current.first_name),
        body.optionalString('last_name', current.last_name),
        body.optionalString('position', current.position),
        Date.now(),
      ],
    );
    return ok(toUser(rows[0]!) satisfies User);
  });
}

function invalidUserThrow(field: string, message: string): never {
  throw invalidUser(field, message);
}
