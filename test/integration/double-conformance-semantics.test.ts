import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp } from '../support/mattermost.js';

// Mattermost semantics beyond "the route exists": WebSocket reply order, path cleaning, user-list
// filters, profile image ETags, thumbnails of non-images. Each case is one a real client depends on
// (the project's client-traffic notes; docs/protocol.md and Mattermost's public source).

let cluster: DoubleCluster;
let alice: SignedUp;
let bob: SignedUp;
let carol: SignedUp;
let team: string;
let channel: string;

async function call(
  who: SignedUp | null,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...extra };
  if (who) headers.Authorization = `Bearer ${who.client.getToken()}`;
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, json: json as Record<string, unknown> & unknown[] };
}

function frames(ws: WebSocket, n: number, timeoutMs = 5_000): Promise<Record<string, unknown>[]> {
  const got: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${got.length} of ${n} frames: ${JSON.stringify(got)}`)),
      timeoutMs,
    );
    ws.on('message', (data) => {
      got.push(JSON.parse(String(data)) as Record<string, unknown>);
      if (got.length === n) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

const opened = (ws: WebSocket) =>
  new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
const wsUrl = () => `${cluster.url.replace('http', 'ws')}/api/v4/websocket`;

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: true });
  alice = await signUp(cluster.url, 'alice');
  bob = await signUp(cluster.url, 'bob');
  carol = await signUp(cluster.url, 'carol');
  team = (
    await call(alice, 'POST', '/api/v4/teams', { name: 'semantics', display_name: 'Semantics', type: 'O' })
  ).json.id as string;
  for (const u of [bob, carol])
    await call(alice, 'POST', `/api/v4/teams/${team}/members`, { team_id: team, user_id: u.user.id });
  channel = (
    await call(alice, 'POST', '/api/v4/channels', {
      team_id: team,
      name: 'room',
      display_name: 'Room',
      type: 'O',
    })
  ).json.id as string;
  await call(alice, 'POST', `/api/v4/channels/${channel}/members`, { user_id: bob.user.id });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('WebSocket authentication order', () => {
  it('sends hello before the OK reply to authentication_challenge', async () => {
    const ws = new WebSocket(wsUrl());
    await opened(ws);
    const first = frames(ws, 2);
    ws.send(
      JSON.stringify({
        action: 'authentication_challenge',
        seq: 1,
        data: { token: alice.client.getToken() },
      }),
    );
    const [a, b] = await first;
    expect(a?.event).toBe('hello');
    expect(b).toMatchObject({ status: 'OK', seq_reply: 1 });
    ws.close();
  });

  it('ignores a challenge on a socket authenticated by its Authorization header', async () => {
    const ws = new WebSocket(wsUrl(), { headers: { Authorization: `Bearer ${alice.client.getToken()}` } });
    const got: Record<string, unknown>[] = [];
    ws.on('message', (data) => got.push(JSON.parse(String(data)) as Record<string, unknown>));
    await opened(ws);
    await new Promise((r) => setTimeout(r, 200));
    ws.send(
      JSON.stringify({
        action: 'authentication_challenge',
        seq: 1,
        data: { token: alice.client.getToken() },
      }),
    );
    ws.send(JSON.stringify({ action: 'ping', seq: 2, data: {} }));
    const deadline = Date.now() + 5_000;
    while (!got.some((m) => 'seq_reply' in m) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const reply = got.find((m) => 'seq_reply' in m);
    expect(got[0]?.event).toBe('hello');
    // The first reply answers the ping: the challenge got none (no FAIL bad_action).
    expect(reply).toMatchObject({ status: 'OK', seq_reply: 2 });
    ws.close();
  });
});

describe('HTTP semantics', () => {
  it('redirects an unclean path with 301 to the cleaned one, query kept', async () => {
    const r = await call(null, 'GET', '//api/v4/system/ping?x=1');
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/api/v4/system/ping?x=1');
    const trailing = await call(null, 'GET', '/api/v4//system//ping/');
    expect(trailing.headers.get('location')).toBe('/api/v4/system/ping/');
  });

  it('routes literal segments before id parameters', async () => {
    expect(
      (await call(alice, 'POST', '/api/v4/channels/search?system_console=false', { term: 'ro' })).status,
    ).toBe(200);
    expect((await call(alice, 'POST', '/api/v4/posts/ids', ['aaaaaaaaaaaaaaaaaaaaaaaaaa'])).status).toBe(200);
    expect((await call(alice, 'GET', `/api/v4/users/autocomplete?in_team=${team}&name=b`)).status).toBe(200);
  });

  it('filters GET /users by channel and team membership', async () => {
    const ids = (r: { json: unknown[] }) => (r.json as { id: string }[]).map((u) => u.id).sort();
    const inChannel = await call(alice, 'GET', `/api/v4/users?in_channel=${channel}&page=0&per_page=50`);
    expect(ids(inChannel)).toEqual([alice.user.id, bob.user.id].sort());
    const notIn = await call(
      alice,
      'GET',
      `/api/v4/users?cursor_id=&in_team=${team}&not_in_channel=${channel}&page=0&per_page=100`,
    );
    expect(ids(notIn)).toEqual([carol.user.id]);
    const inTeam = await call(alice, 'GET', `/api/v4/users?in_team=${team}&sort=&per_page=2`);
    expect(inTeam.json).toHaveLength(2);
    expect((await call(alice, 'GET', `/api/v4/users?not_in_channel=${channel}`)).status).toBe(400);
    expect((await call(alice, 'GET', `/api/v4/users?in_channel=${channel}&sort=create_at`)).status).toBe(400);
    expect((await call(alice, 'GET', '/api/v4/users?sort=bogus')).status).toBe(400);
  });

  it('returns only users updated after ?since from POST /users/ids', async () => {
    const all = await call(alice, 'POST', '/api/v4/users/ids?since=0', [bob.user.id, carol.user.id]);
    expect(all.json).toHaveLength(2);
    const none = await call(alice, 'POST', `/api/v4/users/ids?since=${Date.now()}`, [
      bob.user.id,
      carol.user.id,
    ]);
    expect(none.json).toEqual([]);
  });

  it('answers 304 to If-None-Match equal to last_picture_update and a PNG otherwise', async () => {
    const cached = await call(alice, 'GET', `/api/v4/users/${bob.user.id}/image`, undefined, {
      'If-None-Match': '0',
    });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe('0');
    const fresh = await call(alice, 'GET', `/api/v4/users/me/image`);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBeNull();
  });

  it('refuses thumbnails and previews of files that are not images with 400', async () => {
    const form = new FormData();
    form.append('channel_id', channel);
    form.append('files', new Blob(['plain text']), 'test_upload.txt');
    const res = await fetch(`${cluster.url}/api/v4/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.client.getToken()}` },
      body: form,
    });
    const id = ((await res.json()) as { file_infos: { id: string }[] }).file_infos[0]!.id;
    const thumb = await call(alice, 'GET', `/api/v4/files/${id}/thumbnail`);
    expect(thumb.status).toBe(400);
    expect(thumb.json.id).toBe('api.file.get_file_thumbnail.no_thumbnail.app_error');
    expect((await call(alice, 'GET', `/api/v4/files/${id}/preview`)).status).toBe(400);
  });
});
