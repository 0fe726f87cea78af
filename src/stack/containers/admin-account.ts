import { setTimeout as sleep } from 'node:timers/promises';
import type { UserProfile } from '@mattermost/types/users';
import { type Client4, newClient } from '../../mattermost/official-client.js';

// The system admin mmdrill uses, made through the users' URL (so the whole path — users' proxy,
// NGINX, lb-app proxies, an app node — is proven to work before `up` returns). On a fresh server
// the first account becomes system admin. A server with a read replica may read the login from
// it before the new account has replicated (Mattermost and the double both do), so the login
// after creating the account is retried briefly on "invalid credentials".

/** Retried while the path settles: NGINX may see an app node as down for a moment after start. */
const RETRY_FOR_MS = 30_000;
/** How long a just-created account may take to reach the replica the login reads from. */
const REPLICATION_WAIT_MS = 10_000;

function isTransient(error: unknown): boolean {
  const status = (error as { status_code?: number }).status_code;
  return status === undefined || status === 0 || status === 502 || status === 503 || status === 504;
}

export async function ensureAdmin(
  url: string,
  username: string,
  password: string,
  signal?: AbortSignal,
): Promise<void> {
  const client = newClient(url);
  const deadline = Date.now() + RETRY_FOR_MS;
  for (;;) {
    signal?.throwIfAborted();
    try {
      await client.login(username, password);
      return;
    } catch (loginError) {
      if (isTransient(loginError) && Date.now() < deadline) {
        await sleep(1_000);
        continue;
      }
      try {
        const user = { username, email: `${username}@mmdrill.invalid`, password } as UserProfile;
        await client.createUser(user, '', '');
      } catch (createError) {
        const why = createError instanceof Error ? createError.message : String(createError);
        throw new Error(`could not log in or create the admin "${username}" at ${url}: ${why}`);
      }
      await loginOnceReplicated(client, username, password, signal);
      return;
    }
  }
}

async function loginOnceReplicated(
  client: Client4,
  username: string,
  password: string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + REPLICATION_WAIT_MS;
  for (;;) {
    signal?.throwIfAborted();
    try {
      await client.login(username, password);
      return;
    } catch (error) {
      const status = (error as { status_code?: number }).status_code;
      if ((status !== 401 && !isTransient(error)) || Date.now() >= deadline) throw error;
      await sleep(250);
    }
  }
}
