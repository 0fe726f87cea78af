import type { Channel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import { afterEach, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import {
  type Client4,
  ClientError,
  logIn,
  rawRequest,
  type SignedUp,
  signUp,
} from '../support/mattermost.js';
import { WebSocketProbe } from '../support/websocket.js';

// Behaviour under faults: a lost database gives Mattermost 5xx bodies and the node recovers by
// itself; an acknowledged post survives a SIGKILL of the node that acknowledged it — and the
// deliberately unsafe mode shows that this check can fail.

let cluster: DoubleCluster | undefined;

afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function setUp(c: DoubleCluster): Promise<{ alice: SignedUp; channel: Channel; team: Team }> {
  const alice = await signUp(c.url, 'alice');
  const team = await alice.client.createTeam({ name: 'ops', display_name: 'Ops', type: 'O' } as Team);
  const channel = await alice.client.createChannel({
    team_id: team.id,
    name: 'incident',
    display_name: 'Incident',
    type: 'O',
  });
  return { alice, channel, team };
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    if (err instanceof ClientError) return Number((err as unknown as { status_code: number }).status_code);
    throw err;
  }
}

/** Posts from `writers` concurrent loops until `stop` resolves; returns the ids the server acknowledged. */
async function postUntil(
  client: Client4,
  channelId: string,
  writers: number,
  stop: Promise<void>,
): Promise<{ acked: string[]; failed: number }> {
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const acked: string[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let n = 0;
      while (!stopped) {
        try {
          const post = await client.createPost({ channel_id: channelId, message: `writer ${w} post ${n++}` });
          acked.push(post.id);
        } catch {
          failed += 1;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }),
  );
  return { acked, failed };
}

describe('database outage', () => {
  it('answers 5xx with Mattermost error bodies while PostgreSQL is down and recovers without a restart', async () => {
    cluster = await startDoubleCluster({ nodes: 2, objectStore: false });
    const { alice, channel, team } = await setUp(cluster);
    await alice.client.createPost({ channel_id: channel.id, message: 'before' });

    await cluster.postgres.stop();
    const err = await alice.client.createPost({ channel_id: channel.id, message: 'during' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ClientError);
    const clientError = err as unknown as { status_code: number; server_error_id: string };
    expect(clientError.status_code).toBeGreaterThanOrEqual(500);
    expect(clientError.server_error_id).toMatch(/^app\.|^store\./);
    const ping = await rawRequest(alice.client, `${cluster.url}/api/v4/system/ping?get_server_status=true`, {
      method: 'get',
    });
    expect(ping.response.status).toBe(500);
    expect(ping.data).toMatchObject({ status: 'UNHEALTHY', database_status: 'UNHEALTHY' });
    expect(cluster.nodes.every((n) => n.isRunning())).toBe(true);

    await cluster.postgres.start();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = await statusOf(alice.client.createPost({ channel_id: channel.id, message: 'after' }));
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await alice.client.ping(true)).status).toBe('OK');

    // The cluster bus reconnected too: a post on node 1 reaches a client on node 2.
    const bob = await signUp(cluster.url, 'bob');
    await alice.client.addToTeam(team.id, bob.user.id);
    await alice.client.addToChannel(bob.user.id, channel.id);
    const onB = await new WebSocketProbe(cluster.nodes[1]!.url, bob.client.getToken()).connect();
    let delivered = false;
    const busDeadline = Date.now() + 15_000;
    while (!delivered && Date.now() < busDeadline) {
      const post = await alice.client.createPost({ channel_id: channel.id, message: 'across nodes' });
      await onB
        .waitFor(
          () =>
            onB.eventsOf('posted').some((e) => String((e.data as { post: string }).post).includes(post.id)),
          1_000,
        )
        .then(
          () => {
            delivered = true;
          },
          () => undefined,
        );
    }
    onB.close();
    expect(delivered).toBe(true);
  });
});

describe('acknowledged writes', () => {
  it('keeps every post acknowledged by a node that is then SIGKILLed', async () => {
    cluster = await startDoubleCluster({ nodes: 2, objectStore: false });
    const { alice, channel } = await setUp(cluster);
    const c = cluster;
    const kill = new Promise<void>((resolve) => setTimeout(() => void c.killNode(0).then(resolve), 700));
    const { acked } = await postUntil(alice.client, channel.id, 8, kill);
    expect(acked.length).toBeGreaterThan(10);
    const reader = await logIn(cluster.nodes[1]!.url, 'alice');
    const lost: string[] = [];
    for (const id of acked) {
      if ((await statusOf(reader.getPost(id))) !== 200) lost.push(id);
    }
    expect(lost).toEqual([]);
  });

  it('loses acknowledged posts in the deliberately unsafe ack-before-commit mode (the check above can fail)', async () => {
    cluster = await startDoubleCluster({
      nodes: 2,
      objectStore: false,
      args: ['--unsafe', 'ack-before-commit'],
    });
    const { alice, channel } = await setUp(cluster);
    const c = cluster;
    const kill = new Promise<void>((resolve) => setTimeout(() => void c.killNode(0).then(resolve), 700));
    const { acked } = await postUntil(alice.client, channel.id, 8, kill);
    const reader = await logIn(cluster.nodes[1]!.url, 'alice');
    let lost = 0;
    for (const id of acked) {
      if ((await statusOf(reader.getPost(id))) !== 200) lost += 1;
    }
    expect(lost).toBeGreaterThan(0);
  });
});

describe('graceful stop', () => {
  it('exits 0 on SIGTERM and closes WebSockets with 1001', async () => {
    cluster = await startDoubleCluster({ nodes: 1, objectStore: false });
    const alice = await signUp(cluster.url, 'alice');
    const probe = await new WebSocketProbe(cluster.url, alice.client.getToken(), {
      retryMs: 60_000,
    }).connect();
    const exited = cluster.nodes[0]!.exited;
    await cluster.stopNode(0);
    expect(await exited).toEqual({ code: 0, signal: null });
    await probe.waitFor(() => probe.closes > 0, 5_000, 'close');
    probe.close();
  });
});
