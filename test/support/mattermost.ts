// Mattermost's own JS client: the judge of the test double's fidelity.
import type { UserProfile } from '@mattermost/types/users';
import { type Client4, newClient } from '../../src/mattermost/official-client.js';

export { Client4, ClientError, newClient, WebSocketClient } from '../../src/mattermost/official-client.js';

export const DEFAULT_PASSWORD = 'Passw0rd-double';

export interface SignedUp {
  client: Client4;
  user: UserProfile;
  password: string;
}

let counter = 0;

/** Creates an account (the first on a server becomes system admin) and logs it in. */
export async function signUp(url: string, username?: string, password = DEFAULT_PASSWORD): Promise<SignedUp> {
  const name = username ?? `u${Date.now().toString(36)}${(counter++).toString(36)}`;
  const client = newClient(url);
  await client.createUser({ username: name, email: `${name}@double.test`, password } as UserProfile, '', '');
  const user = await client.login(name, password);
  return { client, user, password };
}

/** Log an existing account in against another node (each node shares the sessions table). */
export async function logIn(url: string, username: string, password = DEFAULT_PASSWORD): Promise<Client4> {
  const client = newClient(url);
  await client.login(username, password);
  return client;
}

export interface RawAnswer {
  response: Response;
  headers: Headers;
  data: unknown;
}

/**
 * A request through Client4's own fetch path (its auth and headers, its parsing by exact
 * Content-Type), returning whatever status came back. Client4 keeps this method private in its
 * types; it is the path every public method uses.
 */
export function rawRequest(
  client: Client4,
  url: string,
  options: { method: string; body?: string; headers?: Record<string, string> },
): Promise<RawAnswer> {
  const withResponse = (
    client as unknown as { doFetchWithResponse: (u: string, o: object) => Promise<RawAnswer> }
  ).doFetchWithResponse;
  return withResponse(url, { ...options, ignoreStatus: true });
}
