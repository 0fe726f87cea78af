import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../common/exit-codes.js';
import type { UserAccount } from '../mattermost/simulated-user.js';
import { DEFAULT_STATE_DIR } from '../stack/state.js';

// The accounts a seed created, with their password, for the simulated users to log in. Kept in
// the state directory (mode 0600); never printed and never copied into reports.

export interface SeedCredentials {
  version: 1;
  /** The shape's name (`small`, `medium`, or the `name` of a shape file). */
  shape: string;
  /** The server the accounts live on. */
  url: string;
  updatedAt: string;
  teams: { id: string; name: string }[];
  users: UserAccount[];
}

export function credentialsFile(shape: string, stateDir = DEFAULT_STATE_DIR): string {
  return resolve(stateDir, `seed-${shape}.json`);
}

export async function readCredentials(path: string): Promise<SeedCredentials | null> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not a seed credentials file (not JSON)`);
  }
  const creds = value as Partial<SeedCredentials>;
  if (creds.version !== 1 || !Array.isArray(creds.users) || !Array.isArray(creds.teams)) {
    throw new UsageError(`${path} is not a seed credentials file (expected version 1 with users and teams)`);
  }
  return creds as SeedCredentials;
}

/** Like readCredentials, for commands that need a seed: a clear usage error when there is none. */
export async function requireCredentials(path: string): Promise<SeedCredentials> {
  const creds = await readCredentials(path);
  if (!creds) throw new UsageError(`no seed credentials in ${path}; run \`mmdrill seed\` first`);
  if (creds.users.length === 0) throw new UsageError(`${path} lists no users`);
  return creds;
}

/** Written to a temporary file first, so that an interrupted write never leaves half a file. */
export async function writeCredentials(path: string, creds: SeedCredentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(creds, null, 1)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
