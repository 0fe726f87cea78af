import type { IceServer } from '@roamhq/wrtc';
import { CALLS_PLUGIN_ID } from './signal-frames.js';

// The few REST calls a Calls participant needs: log in, read the plugin's config (ICE servers),
// and a channel to hold the call in. Plain fetch: these are set-up steps, not measured load.

const TIMEOUT_MS = 15_000;

async function request<T>(
  url: string,
  init: RequestInit & { token?: string },
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Requested-With': 'XMLHttpRequest',
  };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  if (!response.ok) {
    const path = new URL(url).pathname;
    throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
  }
  return { body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
}

const base = (url: string) => url.replace(/\/$/, '');

export async function login(
  baseUrl: string,
  username: string,
  password: string,
): Promise<{ token: string; userId: string }> {
  const { body, headers } = await request<{ id: string }>(`${base(baseUrl)}/api/v4/users/login`, {
    method: 'POST',
    body: JSON.stringify({ login_id: username, password }),
  });
  const token = headers.get('token');
  if (!token) throw new Error(`login of ${username}: no token in the answer`);
  return { token, userId: body.id };
}

interface CallsConfigBody {
  ICEServersConfigs?: { urls?: string | string[]; username?: string; credential?: string }[];
}

/** The ICE servers the plugin tells clients to use (`ICEServersConfigs` of `/config`). */
export async function fetchIceServers(baseUrl: string, token: string): Promise<IceServer[]> {
  const { body } = await request<CallsConfigBody>(`${base(baseUrl)}/plugins/${CALLS_PLUGIN_ID}/config`, {
    token,
  });
  return (body.ICEServersConfigs ?? [])
    .filter((s) => s.urls !== undefined && s.urls.length > 0)
    .map((s) => ({
      urls: s.urls!,
      ...(s.username && { username: s.username }),
      ...(s.credential && { credential: s.credential }),
    }));
}

export async function createChannel(
  baseUrl: string,
  token: string,
  teamId: string,
  name: string,
): Promise<string> {
  const { body } = await request<{ id: string }>(`${base(baseUrl)}/api/v4/channels`, {
    method: 'POST',
    token,
    body: JSON.stringify({ team_id: teamId, name, display_name: name, type: 'O' }),
  });
  return body.id;
}

export async function joinChannel(
  baseUrl: string,
  token: string,
  channelId: string,
  userId: string,
): Promise<void> {
  await request(`${base(baseUrl)}/api/v4/channels/${channelId}/members`, {
    method: 'POST',
    token,
    body: JSON.stringify({ user_id: userId }),
  });
}

export async function logout(baseUrl: string, token: string): Promise<void> {
  await request(`${base(baseUrl)}/api/v4/users/logout`, { method: 'POST', token }).catch(() => undefined);
}
