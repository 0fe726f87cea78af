// Mattermost's own JS client, set up for Node 20: the judge of the test double's fidelity.

import mattermostClient from '@mattermost/client';
import type { UserProfile } from '@mattermost/types/users';
import { WebSocket } from 'ws';

export const { Client4, WebSocketClient, ClientError } = mattermostClient;
export type Client4 = InstanceType<typeof Client4>;
export type WebSocketClient = InstanceType<typeof WebSocketClient>;

// Node 20 has neither a global WebSocket (the client also reads WebSocket.OPEN) nor CloseEvent.
if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket });
if (!('CloseEvent' in globalThis)) {
  class CloseEventPolyfill extends Event {
    readonly code: number;
    readonly reason: string;
    readonly wasClean: boolean;
    constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
      super(type);
      this.code = init.code ?? 0;
      this.reason = init.reason ?? '';
      this.wasClean = init.wasClean ?? false;
    }
  }
  Object.assign(globalThis, { CloseEvent: CloseEventPolyfill });
}

export function newClient(url: string, token?: string): Client4 {
  const client = new Client4();
  client.setUrl(url);
  if (token) client.setToken(token);
  return client;
}

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
