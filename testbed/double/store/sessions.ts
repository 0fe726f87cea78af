import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { sessionExpired } from '../http/errors.js';
import { newId } from '../model/ids.js';
import type { Session } from '../model/types.js';
import type { Database, Queryable } from './db.js';

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: { N: number },
) => Promise<Buffer>;

// Real Mattermost uses bcrypt; a modest scrypt keeps login CPU-bound like the real thing without
// making seeding thousands of users slow on a 2-core machine.
const SCRYPT_N = 1 << 12;
const SESSION_LENGTH_MS = 30 * 24 * 3600_000;
const CACHE_TTL_MS = 5 * 60_000;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, { N: SCRYPT_N });
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: SCRYPT_N });
  return timingSafeEqual(expected, actual);
}

/** Sessions in PostgreSQL, cached per node like Mattermost's session cache. */
export class SessionStore {
  private readonly cache = new Map<string, { session: Session; cachedAt: number }>();

  constructor(private readonly db: Database) {}

  async create(userId: string, roles: string, client: Queryable = this.db.primary): Promise<Session> {
    const now = Date.now();
    const session: Session = {
      id: newId(),
      token: newId(),
      user_id: userId,
      roles,
      create_at: now,
      expires_at: now + SESSION_LENGTH_MS,
      last_activity_at: now,
    };
    await client.query(
      'INSERT INTO sessions (token, id, user_id, roles, create_at, expires_at, last_activity_at) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [session.token, session.id, userId, roles, now, session.expires_at, now],
    );
    this.cache.set(session.token, { session, cachedAt: now });
    return session;
  }

  async fromToken(token: string): Promise<Session> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && now - hit.cachedAt < CACHE_TTL_MS && hit.session.expires_at > now) return hit.session;
    const sql =
      'SELECT token, id, user_id, roles, create_at, expires_at, last_activity_at FROM sessions WHERE token = $1';
    let { rows } = await this.db.read<Session>('SessionStore.Get', sql, [token]);
    // A session created a moment ago on another node may not have reached the replica yet.
    if (rows.length === 0 && this.db.replica)
      ({ rows } = await this.db.write<Session>('SessionStore.GetFromMaster', sql, [token]));
    const session = rows[0];
    if (!session || session.expires_at <= now) {
      this.cache.delete(token);
      throw sessionExpired();
    }
    this.cache.set(token, { session, cachedAt: now });
    return session;
  }

  async revoke(token: string): Promise<void> {
    this.cache.delete(token);
    await this.db.write('SessionStore.Remove', 'DELETE FROM sessions WHERE token = $1', [token]);
  }

  forget(token: string): void {
    this.cache.delete(token);
  }
}
