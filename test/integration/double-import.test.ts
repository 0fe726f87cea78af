import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCredentials } from '../../src/seed/credentials.js';
import { runCli } from '../support/cli.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { logIn, signUp } from '../support/mattermost.js';

// The double's bulk import (testbed/double/import/) through `mmdrill seed --method bulk`, on two
// nodes and real PostgreSQL: a small data set imported and read back, a second seed that finds it
// complete, archives with a bad line rejected by line and field with nothing half-imported, and
// the upload and job routes' status codes for a non-administrator and unknown ids.

let cluster: DoubleCluster;
let work: string;
let envFile: string;
let shapeFile: string;
const ADMIN = { username: 'sysadmin', password: 'Import-admin-Passw0rd' };
const env = { IMPORT_TEST_ADMIN_PASSWORD: ADMIN.password };

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 2, objectStore: false });
  await signUp(cluster.url, ADMIN.username, ADMIN.password);
  work = await mkdtemp(join(tmpdir(), 'mmdrill-import-'));
  envFile = join(work, 'existing.yaml');
  await writeFile(
    envFile,
    `name: double\nprovider: existing\nadmin:\n  username: ${ADMIN.username}\n  passwordEnv: IMPORT_TEST_ADMIN_PASSWORD\nexisting:\n  url: ${cluster.url}\n`,
  );
  shapeFile = join(work, 'bulky.yaml');
  await writeFile(
    shapeFile,
    'name: bulky\nteams: 1\nchannels: 4\nusers: 12\nchannelsPerUser: 2\nposts: 60\nreplyShare: 0.3\ndirectChannels: 2\n',
  );
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function teamCount(): Promise<number> {
  const admin = await logIn(cluster.url, ADMIN.username, ADMIN.password);
  return ((await admin.getTeams(0, 200)) as unknown[]).length;
}

describe('mmdrill seed --method bulk against the double', () => {
  it('imports the data set, reads it back, and changes nothing on a second seed', async () => {
    const stateDir = join(work, 'state');
    const args = [
      'seed',
      '--env',
      envFile,
      '--shape',
      shapeFile,
      '--method',
      'bulk',
      '--state-dir',
      stateDir,
      '--json',
    ];
    const run = await runCli(args, env);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.unchanged).toBe(false);
    expect(report.readBack).toEqual({
      teams: 1,
      channels: 4,
      users: 12,
      posts: report.expected.posts + report.expected.replies,
    });
    expect(report.expected.replies).toBeGreaterThan(0);

    // What the API path keeps per post holds for imported posts: threads, search, last post
    // (public channels are listed; the shape's private ones are not the admin's).
    const admin = await logIn(cluster.nodes[1]!.url, ADMIN.username, ADMIN.password);
    const team = await admin.getTeamByName('bulky-team-1');
    const channels = (await admin.getChannels(team.id, 0, 100)).filter((c) => c.name.startsWith('bulky-'));
    expect(channels.length).toBeGreaterThan(0);
    const channel = channels.find((c) => c.total_msg_count > 0)!;
    expect(channel.last_post_at).toBeGreaterThan(0);
    const list = await admin.getPosts(channel.id, 0, 200);
    const posts = Object.values(list.posts);
    expect(posts).toHaveLength(channel.total_msg_count);
    const reply = posts.find((p) => p.root_id)!;
    expect(posts.find((p) => p.id === reply.root_id)!.reply_count).toBeGreaterThan(0);
    const word = reply.message.split(/\s+/).find((w) => /^[a-z]{4,}$/.test(w))!;
    // Search runs over the searcher's channels: the reply's author searches.
    const creds = await readCredentials(join(stateDir, 'seed-bulky.json'));
    const author = creds!.users.find((u) => u.id === reply.user_id)!;
    const searcher = await logIn(cluster.url, author.username, author.password);
    const found = await searcher.searchPostsWithParams(team.id, {
      terms: word,
      is_or_search: false,
    } as never);
    expect(found.order).toContain(reply.id);

    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ unchanged: true, readBack: report.readBack });

    // Importing the same archive again through the job is a no-op too (upserts, stable post ids).
    const reimport = await runCli([...args, '--import-file', join(stateDir, 'import-bulky.zip')], env);
    expect(reimport.code, reimport.stderr).toBe(0);
    expect(JSON.parse(reimport.stdout).readBack).toEqual(report.readBack);
  }, 180_000);

  it('rejects an archive with a bad line by line number and field, importing nothing of it', async () => {
    const before = await teamCount();
    const head = [
      { type: 'version', version: 1 },
      { type: 'team', team: { name: 'halfway', display_name: 'Halfway', type: 'O' } },
      { type: 'channel', channel: { team: 'halfway', name: 'town-hall', display_name: 'Hall', type: 'O' } },
      {
        type: 'user',
        user: { username: 'halfway-1', email: 'halfway-1@double.test', password: 'Passw0rd!x' },
      },
    ];
    const cases = [
      { line: { type: 'user', user: { email: 'nobody@double.test' } }, field: 'user.username' },
      // Passes the field checks but would break the unique email index in the middle of the write.
      {
        line: { type: 'user', user: { username: 'halfway-2', email: 'sysadmin@double.test' } },
        field: 'user.email',
      },
      {
        line: {
          type: 'post',
          post: {
            team: 'halfway',
            channel: 'nowhere',
            user: 'halfway-1',
            message: 'hi',
            create_at: 1_700_000_000_000,
          },
        },
        field: 'post.channel',
      },
      {
        line: {
          type: 'post',
          post: {
            team: 'halfway',
            channel: 'town-hall',
            user: 'halfway-1',
            message: 'hi',
            create_at: 1_700_000_000_000,
            reactions: [{ user: 'halfway-1', create_at: 1_700_000_000_001 }],
          },
        },
        field: 'post.reactions[0].emoji_name',
      },
    ];
    for (const [i, c] of cases.entries()) {
      const bad = join(work, `bad-${i}.jsonl`);
      await writeFile(bad, `${[...head, c.line].map((l) => JSON.stringify(l)).join('\n')}\n`);
      const r = await runCli(
        [
          'seed',
          '--env',
          envFile,
          '--shape',
          shapeFile,
          '--import-file',
          bad,
          '--state-dir',
          join(work, `bad-${i}`),
        ],
        env,
      );
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('line 5');
      expect(r.stderr).toContain(c.field);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // Nothing of the lines before the bad one was written.
    expect(await teamCount()).toBe(before);
    const admin = await logIn(cluster.url, ADMIN.username, ADMIN.password);
    expect(await admin.getProfilesByUsernames(['halfway-1'])).toHaveLength(0);
  }, 120_000);
});

describe('upload and job routes', () => {
  async function call(token: string, method: string, path: string, body?: string | Buffer) {
    const res = await fetch(`${cluster.url}/api/v4${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body !== undefined && { body }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  it('answers 403 for a non-administrator, 404 for unknown ids, and refuses bytes past file_size', async () => {
    const user = await signUp(cluster.url);
    const token = user.client.getToken();
    const upload = JSON.stringify({ type: 'import', filename: 'x.zip', file_size: 10 });
    expect((await call(token, 'POST', '/uploads', upload)).status).toBe(403);
    const job = JSON.stringify({ type: 'import_process', data: { import_file: 'x' } });
    const denied = await call(token, 'POST', '/jobs', job);
    expect(denied.status).toBe(403);
    expect(denied.body.id).toBe('api.context.permissions.app_error');

    const admin = await logIn(cluster.url, ADMIN.username, ADMIN.password);
    const a = admin.getToken();
    const unknown = 'abcdefghijkmnopqrstuwxyz12';
    expect((await call(a, 'GET', `/uploads/${unknown}`)).status).toBe(404);
    expect((await call(a, 'GET', `/jobs/${unknown}`)).status).toBe(404);
    expect((await call(a, 'GET', '/uploads/not-an-id')).status).toBe(400);
    expect(
      (await call(a, 'POST', '/uploads', JSON.stringify({ type: 'import', filename: 'x.zip' }))).status,
    ).toBe(400);
    expect(
      (await call(a, 'POST', '/jobs', JSON.stringify({ type: 'import_process', data: {} }))).status,
    ).toBe(400);

    const session = await call(a, 'POST', '/uploads', upload);
    expect(session.status).toBe(201);
    expect(session.body).toMatchObject({ type: 'import', filename: 'x.zip', file_size: 10, file_offset: 0 });
    expect((await call(a, 'POST', `/uploads/${session.body.id}`, Buffer.from('12345'))).status).toBe(204);
    // Another node answers for the session, at the advanced offset.
    const other = await fetch(`${cluster.nodes[1]!.url}/api/v4/uploads/${session.body.id}`, {
      headers: { Authorization: `Bearer ${a}` },
    });
    expect(((await other.json()) as { file_offset: number }).file_offset).toBe(5);
    const past = await call(a, 'POST', `/uploads/${session.body.id}`, Buffer.from('1234567890'));
    expect(past.status).toBe(400);
    expect((await call(a, 'POST', `/uploads/${session.body.id}`, Buffer.from('67890'))).status).toBe(200);
    expect((await call(a, 'GET', `/uploads/${session.body.id}`)).status).toBe(404);
  });
});
