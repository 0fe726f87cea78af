import type { Channel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type Client4, rawRequest, type SignedUp, signUp } from '../support/mattermost.js';

// Malformed, mistyped and oversized requests get Mattermost-shaped 4xx errors, and a few hundred
// of them leave the node healthy. Everything goes through Client4 (doFetchWithResponse with
// ignoreStatus returns the response whatever its status).

let cluster: DoubleCluster;
let alice: SignedUp;
let team: Team;
let channel: Channel;

interface Answer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown> | string;
}

async function send(
  client: Client4,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const {
    response,
    headers: h,
    data,
  } = await rawRequest(client, `${cluster.url}${path}`, { method, body, headers });
  return { status: response.status, contentType: h.get('Content-Type'), body: data as Answer['body'] };
}

function expectMattermostError(answer: Answer, status: number, id?: string | RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/json');
  const body = answer.body as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['detailed_error', 'id', 'message', 'request_id', 'status_code']);
  expect(body.status_code).toBe(status);
  expect(body.request_id).toMatch(/^[a-z0-9]{26}$/);
  if (id) expect(body.id).toMatch(id);
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: false });
  alice = await signUp(cluster.url, 'alice');
  team = await alice.client.createTeam({ name: 'fuzz', display_name: 'Fuzz', type: 'O' } as Team);
  channel = await alice.client.createChannel({
    team_id: team.id,
    name: 'fuzz',
    display_name: 'Fuzz',
    type: 'O',
  });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('bad requests', () => {
  it('malformed JSON → 400 invalid_body_param', async () => {
    expectMattermostError(
      await send(alice.client, 'post', '/api/v4/posts', '{"channel_id": '),
      400,
      'api.context.invalid_body_param.app_error',
    );
  });

  it('missing fields → 400', async () => {
    expectMattermostError(await send(alice.client, 'post', '/api/v4/posts', '{"message":"no channel"}'), 400);
  });

  it('wrong types → 400', async () => {
    expectMattermostError(
      await send(
        alice.client,
        'post',
        '/api/v4/posts',
        JSON.stringify({ channel_id: channel.id, message: 42 }),
      ),
      400,
    );
    expectMattermostError(await send(alice.client, 'post', '/api/v4/users/ids', '{"not":"an array"}'), 400);
  });

  it('bad ids in the URL → 400 invalid_url_param', async () => {
    expectMattermostError(
      await send(alice.client, 'get', '/api/v4/users/not-an-id'),
      400,
      'api.context.invalid_url_param.app_error',
    );
  });

  it('unknown route → 404, wrong method → 405', async () => {
    expectMattermostError(
      await send(alice.client, 'get', '/api/v4/no/such/route'),
      404,
      'api.context.404.app_error',
    );
    expectMattermostError(await send(alice.client, 'delete', '/api/v4/users/login'), 405);
  });

  it('no token → 401 session_expired', async () => {
    expectMattermostError(
      await send(alice.client, 'get', '/api/v4/users/me', undefined, { Authorization: 'Bearer nonsense' }),
      401,
      'api.context.session_expired.app_error',
    );
  });

  it('oversized JSON body → 413', async () => {
    const big = JSON.stringify({ channel_id: channel.id, message: 'x'.repeat(3 << 20) });
    expectMattermostError(await send(alice.client, 'post', '/api/v4/posts', big), 413);
  });
});

describe('fuzz', () => {
  it('survives 400 malformed requests without a 5xx, then still serves normal traffic', async () => {
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const paths = [
      '/api/v4/posts',
      `/api/v4/channels/${channel.id}/posts?page=${'x'}`,
      `/api/v4/channels/${channel.id}/posts?per_page=-1`,
      '/api/v4/channels',
      `/api/v4/channels/${channel.id}/members`,
      '/api/v4/channels/direct',
      '/api/v4/channels/members/me/view',
      '/api/v4/reactions',
      `/api/v4/teams/${team.id}/posts/search`,
      '/api/v4/teams',
      '/api/v4/users',
      '/api/v4/users/login',
      '/api/v4/users/ids',
      '/api/v4/users/status/ids',
      '/api/v4/users/search',
      `/api/v4/users/${alice.user.id}/status`,
      '/api/v4/posts/%00%ff',
      '/api/v4/files?channel_id=../../etc',
      '/api/v4/../../etc/passwd',
      `/api/v4/posts/${'z'.repeat(26)}/thread`,
    ];
    const bodies = [
      '',
      '{',
      '[]',
      'null',
      '"string"',
      '12345678901234567890',
      '{"channel_id":null,"message":null}',
      '{"channel_id":[1,2,3]}',
      `{"channel_id":"${channel.id}","message":{"nested":true}}`,
      `{"channel_id":"${channel.id}","root_id":"${'a'.repeat(26)}","message":"orphan reply"}`,
      '{"terms":123,"is_or_search":"yes"}',
      '{"user_id":"x","post_id":"y","emoji_name":"../../"}',
      '{"login_id":{},"password":[]}',
      '[["deep",["er",["est"]]]]',
      Buffer.from([0xff, 0xfe, 0x7b, 0x00]).toString('latin1'),
      JSON.stringify({ channel_id: channel.id, message: 'a'.repeat(20_000) }),
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const method = pick(['get', 'post', 'put', 'delete']);
      const answer = await send(
        alice.client,
        method,
        pick(paths),
        method === 'get' ? undefined : pick(bodies),
      );
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expect(answer.status, `request ${i}`).toBeLessThan(500);
      if (answer.status >= 400) expect(answer.contentType, `request ${i}`).toBe('application/json');
    }
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    const ping = await alice.client.ping(true);
    expect(ping.status).toBe('OK');
    const post = await alice.client.createPost({ channel_id: channel.id, message: 'still healthy' });
    expect(post.id).toMatch(/^[a-z0-9]{26}$/);
    expect(cluster.nodes[0]!.isRunning()).toBe(true);
  });
});
