import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials } from '../../src/seed/credentials.js';
import { SEED_PROP, seed } from '../../src/seed/seeder.js';
import { BUILT_IN_SHAPES } from '../../src/seed/shape.js';
import { runCli } from '../support/cli.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { logIn, signUp } from '../support/mattermost.js';

// `mmdrill seed --shape small` against two double nodes: the right counts, the credentials file
// (0600) the user model logs in with, and a second run that creates nothing new.

let cluster: DoubleCluster;
let work: string;
const ADMIN = { username: 'sysadmin', password: 'Seed-admin-Passw0rd' };

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 2, objectStore: false });
  await signUp(cluster.url, ADMIN.username, ADMIN.password);
  work = await mkdtemp(join(tmpdir(), 'mmdrill-seed-'));
});

afterAll(async () => {
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('seed --shape small', () => {
  it('creates the shape, records the credentials, and creates nothing on a second run', async () => {
    const shape = BUILT_IN_SHAPES.small!;
    const credentialsPath = join(work, 'seed-small.json');
    const lines: string[] = [];
    const target = { url: cluster.url, admin: ADMIN };
    const first = await seed({ target, shape, credentialsPath, progress: (l) => lines.push(l) });

    expect(first.teams).toEqual({ total: 1, created: 1 });
    expect(first.channels).toEqual({ total: 10, created: 10 });
    expect(first.users).toEqual({ total: 100, created: 100 });
    expect(first.teamMembers).toEqual({ total: 100, created: 100 });
    expect(first.channelMembers).toEqual({ total: 500, created: 500 });
    expect(first.posts).toEqual({ total: 1000, created: 1000 });
    expect(lines.some((l) => l.includes('users') && l.includes('created 100'))).toBe(true);

    const creds = await readCredentials(credentialsPath);
    expect(creds?.users).toHaveLength(100);
    expect(creds?.teams).toHaveLength(1);
    expect((await stat(credentialsPath)).mode & 0o777).toBe(0o600);
    // The password is nowhere in what the seed printed.
    expect(lines.join('\n')).not.toContain(creds!.users[0]!.password);

    // What the server holds, seen through the second node by a seeded user.
    const account = creds!.users[0]!;
    const client = await logIn(cluster.nodes[1]!.url, account.username, account.password);
    const teams = await client.getMyTeams();
    expect(teams.map((t) => t.name)).toEqual(['small-team-1']);
    const channels = await client.getMyChannels(teams[0]!.id);
    // Five seeded channels, beside the ones the server makes for every team (town-square…).
    const mine = channels.filter((c) => c.name.startsWith('small-'));
    expect(mine).toHaveLength(5);
    const list = await client.getPosts(mine[0]!.id, 0, 200);
    const seeded = Object.values(list.posts).filter((p) => p.props?.[SEED_PROP] === 'small');
    expect(seeded).toHaveLength(100);
    expect(seeded.some((p) => p.root_id)).toBe(true);
    expect(new Set(seeded.map((p) => p.user_id)).size).toBeGreaterThan(1);
    const types = new Map<string, number>();
    for (const c of await (await logIn(cluster.url, ADMIN.username, ADMIN.password)).getMyChannels(
      teams[0]!.id,
    )) {
      if (c.name.startsWith('small-')) types.set(c.type, (types.get(c.type) ?? 0) + 1);
    }
    expect(types.get('O')).toBe(8);
    expect(types.get('P')).toBe(2);

    const second = await seed({ target, shape, credentialsPath });
    for (const phase of ['teams', 'channels', 'users', 'teamMembers', 'channelMembers', 'posts'] as const) {
      expect(second[phase].created, phase).toBe(0);
      expect(second[phase].total, phase).toBe(first[phase].total);
    }
    const again = await readCredentials(credentialsPath);
    expect(again?.users).toEqual(creds?.users);
  });

  it('runs as `mmdrill seed` against an existing environment, printing no password', async () => {
    const envFile = join(work, 'existing.yaml');
    await writeFile(
      envFile,
      `name: double\nprovider: existing\nadmin:\n  username: ${ADMIN.username}\n  passwordEnv: SEED_TEST_ADMIN_PASSWORD\nexisting:\n  url: ${cluster.url}\n`,
    );
    const stateDir = join(work, 'state');
    const shapeFile = join(work, 'tiny.yaml');
    await writeFile(
      shapeFile,
      'name: tiny\nteams: 1\nchannels: 3\nusers: 8\nchannelsPerUser: 2\nposts: 12\n',
    );
    const env = { SEED_TEST_ADMIN_PASSWORD: ADMIN.password };
    const args = ['seed', '--env', envFile, '--shape', shapeFile, '--state-dir', stateDir, '--json'];
    const run = await runCli(args, env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      shape: 'tiny',
      users: { total: 8, created: 8 },
      posts: { total: 12, created: 12 },
    });
    expect(report.credentialsFile).toBe(join(stateDir, 'seed-tiny.json'));
    expect(run.stderr).toContain('users');
    const creds = await readCredentials(join(stateDir, 'seed-tiny.json'));
    expect(creds?.users).toHaveLength(8);
    expect(run.stdout + run.stderr).not.toContain(creds!.users[0]!.password);
    expect(run.stdout + run.stderr).not.toContain(ADMIN.password);

    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      users: { created: 0 },
      posts: { created: 0 },
      channelMembers: { created: 0 },
    });

    const unknown = await runCli(['seed', '--env', envFile, '--shape', 'huge', '--state-dir', stateDir], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown shape "huge"');
    const noPassword = await runCli([
      'seed',
      '--env',
      envFile,
      '--shape',
      'small',
      '--state-dir',
      join(work, 'empty'),
    ]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('SEED_TEST_ADMIN_PASSWORD');
  });

  it('a server that fails the seed is a preparation failure (exit 3) naming the request, not an internal error', async () => {
    // A port nothing listens on: every request goes unanswered, after the seeder's retries.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const envFile = join(work, 'gone.yaml');
    await writeFile(
      envFile,
      `name: gone\nprovider: existing\nadmin:\n  username: ${ADMIN.username}\n  passwordEnv: SEED_TEST_ADMIN_PASSWORD\nexisting:\n  url: http://127.0.0.1:${closed}\n`,
    );
    const r = await runCli(
      ['seed', '--env', envFile, '--shape', 'small', '--state-dir', join(work, 'gone')],
      {
        SEED_TEST_ADMIN_PASSWORD: ADMIN.password,
      },
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `preparation failed: seeding data set "small" on http://127\\.0\\.0\\.1:${closed}: POST /api/v4/users/login: no answer: connect ECONNREFUSED`,
      ),
    );
    expect(r.stderr).toContain('verdict: PREPARATION FAILED (exit 3)');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.stderr).not.toContain(ADMIN.password);
  });

  it('a wrong admin password stays a usage error (exit 2)', async () => {
    const envFile = join(work, 'existing-wrong.yaml');
    await writeFile(
      envFile,
      `name: double\nprovider: existing\nadmin:\n  username: ${ADMIN.username}\n  passwordEnv: SEED_TEST_ADMIN_PASSWORD\nexisting:\n  url: ${cluster.url}\n`,
    );
    const r = await runCli(
      ['seed', '--env', envFile, '--shape', 'small', '--state-dir', join(work, 'wrong')],
      {
        SEED_TEST_ADMIN_PASSWORD: 'not-the-password',
      },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/admin "sysadmin" cannot log in/);
  });
});
