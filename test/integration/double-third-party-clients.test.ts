import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp } from '../support/mattermost.js';

// Mattermost clients mmdrill did not write, in two other languages, against the double: Python's
// mattermostdriver (challenge-authenticated WebSocket that expects hello first) and Go's
// model.Client4 (what load-test-ng is built on). Both are installed by scripts/setup.sh into
// $MMDRILL_CLIENTS_DIR (default ~/.cache/mmdrill/clients); each script does login, first-load
// calls, a post, a read back and waits for the post's WebSocket event, and exits 0 only if every
// step passed and the client logged no warning.

const run = promisify(execFile);
const CLIENTS_DIR =
  process.env.MMDRILL_CLIENTS_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mmdrill', 'clients');
const PYTHON = join(CLIENTS_DIR, 'py', 'bin', 'python');
const GO_CLIENT = join(CLIENTS_DIR, 'go-client');
const PY_SCRIPT = resolve('test/clients/python/first_load.py');

let cluster: DoubleCluster;
let alice: SignedUp;
let teamId: string;
let channelId: string;

function requireInstalled(path: string): void {
  if (!existsSync(path))
    throw new Error(`${path} is missing: run scripts/setup.sh (installs the third-party clients)`);
}

async function api(method: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${alice.client.getToken()}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as { id: string };
}

async function runClient(file: string, args: string[]): Promise<Record<string, unknown>> {
  try {
    const { stdout } = await run(file, args, { timeout: 60_000 });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} failed: ${e.message}\nstdout: ${e.stdout ?? ''}\nstderr: ${e.stderr ?? ''}`);
  }
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: false });
  alice = await signUp(cluster.url, 'alice');
  teamId = (await api('POST', '/api/v4/teams', { name: 'clients', display_name: 'Clients', type: 'O' })).id;
  channelId = (
    await api('POST', '/api/v4/channels', {
      team_id: teamId,
      name: 'lobby',
      display_name: 'Lobby',
      type: 'O',
    })
  ).id;
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('third-party Mattermost clients', () => {
  it('Python mattermostdriver logs in, loads, posts, reads back and gets its posted event', async () => {
    requireInstalled(PYTHON);
    const summary = await runClient(PYTHON, [
      PY_SCRIPT,
      cluster.url,
      `${alice.user.username}@double.test`,
      alice.password,
      channelId,
    ]);
    expect(summary).toMatchObject({
      user: alice.user.id,
      read_back: true,
      ws_first: 'hello',
      ws_posted: true,
      driver_warnings: [],
    });
  }, 90_000);

  it('Go model.Client4 walks login and a first channel view, posts and gets its posted event', async () => {
    requireInstalled(GO_CLIENT);
    const summary = await runClient(GO_CLIENT, [
      cluster.url,
      `${alice.user.username}@double.test`,
      alice.password,
      teamId,
      channelId,
    ]);
    expect(summary).toMatchObject({ user: alice.user.id, read_back: true, ws_posted: true });
    expect(summary.ws_order).toContain('event:hello');
    expect(summary.ws_order).toContain('reply:OK');
  }, 90_000);
});
