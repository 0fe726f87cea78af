import { UsageError } from '../common/exit-codes.js';

// What the audit reads from a deployment, read-only, as a system admin: the server config
// (`GET /api/v4/config`, secrets already masked by the server), the client config and licence
// (`?format=old`, flat string maps) and the Calls plugin's effective config, which on newer
// servers is the only place the masked ICE server list can be read. A source that cannot be read
// stays null and the controls that need it are judged "unknown", never guessed.

/** `model.FakeSetting`: what the API shows instead of a secret. */
export const FAKE_SETTING = '********************************';

export interface DeploymentReadings {
  config: Record<string, unknown> | null;
  client: Record<string, string> | null;
  licence: Record<string, string> | null;
  callsConfig: Record<string, unknown> | null;
  /** Why a source could not be read, by source. */
  problems: string[];
}

export type AdminCredentials = { token: string } | { username: string; password: string };

const TIMEOUT_MS = 15_000;

/** `A.B["plugin.id"].c` → ['A', 'B', 'plugin.id', 'c']. */
export function pathSegments(path: string): string[] {
  return [...path.matchAll(/\["([^"]+)"\]|([^.[\]]+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

export function readPath(config: Record<string, unknown> | null, path: string): unknown {
  let here: unknown = config;
  for (const segment of pathSegments(path)) {
    if (typeof here !== 'object' || here === null || Array.isArray(here)) return undefined;
    here = (here as Record<string, unknown>)[segment];
  }
  return here;
}

/** A session token: the given personal access token, or one from logging in. */
export async function adminToken(url: string, credentials: AdminCredentials): Promise<string> {
  if ('token' in credentials) return credentials.token;
  const res = await fetch(`${url}/api/v4/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
    body: JSON.stringify({ login_id: credentials.username, password: credentials.password }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.arrayBuffer();
  const token = res.headers.get('token');
  if (!res.ok || !token)
    throw new UsageError(`logging in as ${credentials.username} on ${url} failed (HTTP ${res.status})`);
  return token;
}

async function getJson(url: string, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest' },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (an HTML error page): the status says enough.
  }
  return { status: res.status, body };
}

function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export async function readDeployment(url: string, token: string): Promise<DeploymentReadings> {
  const problems: string[] = [];
  const read = async (path: string, what: string): Promise<Record<string, unknown> | null> => {
    try {
      const { status, body } = await getJson(`${url}${path}`, token);
      if (status === 200 && asObject(body)) return asObject(body);
      if (status !== 404) problems.push(`${what}: HTTP ${status} from ${path}`);
      return null;
    } catch (err) {
      problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };
  const [config, client, licence, callsConfig] = await Promise.all([
    read('/api/v4/config', 'server config'),
    read('/api/v4/config/client?format=old', 'client config'),
    read('/api/v4/license/client?format=old', 'licence'),
    read('/plugins/com.mattermost.calls/config', 'Calls plugin config'),
  ]);
  const refused = problems.find((p) => /^server config: HTTP 40[13]\b/.test(p));
  if (config === null && refused)
    throw new UsageError(
      `${refused} on ${url}: the audit needs a system admin's token (or login) that the server accepts`,
    );
  return {
    config,
    client: client as Record<string, string> | null,
    licence: licence as Record<string, string> | null,
    callsConfig,
    problems,
  };
}
