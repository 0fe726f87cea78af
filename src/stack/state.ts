import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../common/exit-codes.js';
import type { StackDocument } from './stack-document.js';

// `mmdrill stack up` leaves the stack running and records it here, so that `stack status`,
// `stack down`, `run` and `drill` find it. One stack per state directory (default `.mmdrill/`).

export const DEFAULT_STATE_DIR = '.mmdrill';
const STATE_FILE = 'stack.json';
const SECRETS_FILE = 'secrets.env';

export interface StackState {
  document: StackDocument;
  /** Where each database keeps its data: its leftover backends are found by working directory. */
  dataDirs: Record<string, string>;
}

export function stateFile(stateDir = DEFAULT_STATE_DIR): string {
  return resolve(stateDir, STATE_FILE);
}

export async function readState(stateDir = DEFAULT_STATE_DIR): Promise<StackState | null> {
  const text = await readFile(stateFile(stateDir), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as StackState;
  } catch {
    throw new UsageError(
      `${stateFile(stateDir)} is not a stack state file (remove it if no stack is running)`,
    );
  }
}

/** Like readState, for commands that need a stack: a clear usage error when there is none. */
export async function requireState(stateDir = DEFAULT_STATE_DIR): Promise<StackState> {
  const state = await readState(stateDir);
  if (!state)
    throw new UsageError(`no stack is up (no ${stateFile(stateDir)}); start one with \`mmdrill stack up\``);
  return state;
}

export async function writeState(state: StackState, stateDir = DEFAULT_STATE_DIR): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export async function removeState(stateDir = DEFAULT_STATE_DIR): Promise<void> {
  await rm(stateFile(stateDir), { force: true });
}

/**
 * The admin password: from the environment variable the environment file names, or generated
 * once and kept (mode 0600) in `<stateDir>/secrets.env` so later commands can log in. It is never
 * printed or written into reports.
 */
export async function resolveAdminPassword(
  passwordEnv: string,
  stateDir = DEFAULT_STATE_DIR,
  generate: () => string,
): Promise<{ password: string; source: 'environment' | 'secrets-file' | 'generated' }> {
  const fromEnv = process.env[passwordEnv];
  if (fromEnv) return { password: fromEnv, source: 'environment' };
  const secretsPath = join(stateDir, SECRETS_FILE);
  const saved = await readFile(secretsPath, 'utf8').catch(() => '');
  const line = saved.split('\n').find((l) => l.startsWith(`${passwordEnv}=`));
  if (line) return { password: line.slice(passwordEnv.length + 1), source: 'secrets-file' };
  const password = generate();
  await mkdir(stateDir, { recursive: true });
  await writeFile(
    secretsPath,
    `${saved}${saved && !saved.endsWith('\n') ? '\n' : ''}${passwordEnv}=${password}\n`,
    { mode: 0o600 },
  );
  await chmod(secretsPath, 0o600);
  return { password, source: 'generated' };
}

export function secretsFile(stateDir = DEFAULT_STATE_DIR): string {
  return resolve(stateDir, SECRETS_FILE);
}
