import type { Channel } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { Team } from '@mattermost/types/teams';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp } from '../support/mattermost.js';
import { WebSocketProbe } from '../support/websocket.js';

// Event delivery, seq continuity, replay and cross-node fan-out, observed through the official
// WebSocketClient (which itself closes with 4001 on any seq gap).

let cluster: DoubleCluster;
let alice: SignedUp; // system admin, posts
let bob: SignedUp; // the observed user
let carol: SignedUp; // produces typing events
let dave: SignedUp; // a second observer that is never cut
let team: Team;
let channel: Channel;
const probes: WebSocketProbe[] = [];

function probe(user: SignedUp, node = 0, retryMs = 3_000): WebSocketProbe {
  const p = new WebSocketProbe(cluster.nodes[node]!.url, user.client.getToken(), { retryMs });
  probes.push(p);
  return p;
}

async function post(message: string): Promise<Post> {
  return alice.client.createPost({ channel_id: channel.id, message });
}

function parsedPosts(p: WebSocketProbe): Post[] {
  return p.eventsOf('posted').map((e) => JSON.parse(String((e.data as { post: string }).post)) as Post);
}

function expectContiguousSeqs(p: WebSocketProbe): void {
  const seqs = p.events.map((e) => e.seq);
  seqs.forEach((seq, i) => {
    expect(seq).toBe(i);
  });
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 2, objectStore: false });
  alice = await signUp(cluster.url, 'alice');
  [bob, carol, dave] = await Promise.all([
    signUp(cluster.url, 'bob'),
    signUp(cluster.url, 'carol'),
    signUp(cluster.url, 'dave'),
  ]);
  team = await alice.client.createTeam({ name: 'drill', display_name: 'Drill', type: 'O' } as Team);
  channel = await alice.client.createChannel({
    team_id: team.id,
    name: 'ops',
    display_name: 'Ops',
    type: 'O',
  });
  for (const u of [bob, carol, dave]) {
    await alice.client.addToTeam(team.id, u.user.id);
    await alice.client.addToChannel(u.user.id, channel.id);
  }
});

afterAll(async () => {
  for (const p of probes) p.close();
  await cluster?.stop();
});

describe('fan-out across nodes', () => {
  it('delivers a post made through node 1 to a client on node 2, with Mattermost’s posted shape', async () => {
    const onB = await probe(bob, 1).connect();
    const created = await post('hello from node one');
    await onB.waitFor(() => parsedPosts(onB).some((p) => p.id === created.id), 5_000, 'posted on node 2');
    const event = onB.eventsOf('posted').at(-1)!;
    const data = event.data as Record<string, unknown>;
    expect(typeof data.post).toBe('string');
    expect(data).toMatchObject({
      channel_type: 'O',
      channel_name: 'ops',
      channel_display_name: 'Ops',
      sender_name: '@alice',
      team_id: team.id,
    });
    expect(event.broadcast.channel_id).toBe(channel.id);
    expect(parsedPosts(onB).at(-1)).toMatchObject({
      id: created.id,
      message: 'hello from node one',
      user_id: alice.user.id,
    });
    onB.close();
  });

  it('starts delivering a channel’s events to a user added after connecting, on the other node', async () => {
    const erin = await signUp(cluster.url, 'erin');
    await alice.client.addToTeam(team.id, erin.user.id);
    const onB = await probe(erin, 1).connect();
    const late = await alice.client.createChannel({
      team_id: team.id,
      name: 'late',
      display_name: 'Late',
      type: 'O',
    });
    await alice.client.addToChannel(erin.user.id, late.id);
    await onB.waitFor(() => onB.eventsOf('user_added').length > 0, 5_000, 'user_added');
    const created = await alice.client.createPost({ channel_id: late.id, message: 'welcome' });
    await onB.waitFor(
      () => parsedPosts(onB).some((p) => p.id === created.id),
      5_000,
      'posted in the new channel',
    );
    onB.close();
  });

  it('keeps seq contiguous over 1,000 events from another node and omits typing for its sender', async () => {
    const onB = await probe(bob, 1).connect();
    const typist = await probe(carol, 0).connect();
    for (let i = 0; i < 1_000; i++) {
      const reply = await typist.request('user_typing', { channel_id: channel.id, parent_id: '' });
      expect(reply.status).toBe('OK');
    }
    await onB.waitFor(() => onB.eventsOf('typing').length >= 1_000, 20_000, '1,000 typing events');
    expect(onB.eventsOf('typing')[0]!.data).toEqual({ parent_id: '', user_id: carol.user.id });
    expect(onB.events.length).toBeGreaterThanOrEqual(1_001);
    expectContiguousSeqs(onB);
    expect(onB.closes).toBe(0);
    expect(typist.eventsOf('typing')).toHaveLength(0);
    onB.close();
    typist.close();
  });
});

describe('cluster bus across a lost database connection', () => {
  it('delivers every event posted while a node was not listening, once it reconnects', async () => {
    const onB = await probe(bob, 1).connect();
    const db = new pg.Client({ connectionString: cluster.postgres.url('mattermost') });
    await db.connect();
    try {
      // Cut node 2's LISTEN connection, then post at once: these NOTIFYs reach no listener.
      const { rowCount } = await db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mm-double-cluster-listen-n2'",
      );
      expect(rowCount).toBe(1);
      const made: string[] = [];
      for (let i = 0; i < 20; i++) made.push((await post(`while node 2 was deaf ${i}`)).id);
      await onB.waitFor(
        () => made.every((id) => parsedPosts(onB).some((p) => p.id === id)),
        10_000,
        'all 20 posts on node 2',
      );
      // In order, each once.
      const seen = parsedPosts(onB)
        .map((p) => p.id)
        .filter((id) => made.includes(id));
      expect(seen).toEqual(made);
      expect(onB.closes).toBe(0);
    } finally {
      await db.end();
      onB.close();
    }
  });
});

describe('reconnect and replay (per node)', () => {
  it('replays exactly the missed events, with no new hello, when reconnecting within the buffer', async () => {
    const watched = await probe(bob, 0, 2_500).connect();
    const observer = await probe(dave, 0).connect();
    const helloId = watched.hellos[0]!;
    const seenBefore = parsedPosts(observer).length;
    watched.cut();
    const missed: Post[] = [];
    for (let i = 0; i < 10; i++) missed.push(await post(`missed ${i}`));
    await observer.waitFor(
      () => parsedPosts(observer).length >= seenBefore + 10,
      5_000,
      'observer saw the posts',
    );
    await watched.waitFor(() => watched.urls.length === 2, 6_000, 'reconnect');
    await watched.waitFor(
      () => missed.every((m) => parsedPosts(watched).some((p) => p.id === m.id)),
      5_000,
      'replay',
    );
    expect(watched.urls[1]).toContain(`connection_id=${helloId}`);
    expect(watched.hellos).toEqual([helloId]);
    expect(watched.missedCallbacks).toBe(0);
    expect(
      parsedPosts(watched)
        .filter((p) => p.message.startsWith('missed '))
        .map((p) => p.message),
    ).toEqual(missed.map((m) => m.message));
    expectContiguousSeqs(watched);
    const metrics = await (await fetch(cluster.nodes[0]!.metricsUrl)).text();
    expect(metrics).toMatch(/mattermost_websocket_reconnects_total\{type="replay",node="n1"\} [1-9]/);
  });

  it('gives a new connection id and hello once more than 128 events were missed', async () => {
    const watched = await probe(bob, 0, 3_000).connect();
    const observer = await probe(dave, 0).connect();
    const typist = await probe(carol, 1).connect();
    const firstHello = watched.hellos[0]!;
    const seenBefore = observer.eventsOf('typing').length;
    watched.cut();
    for (let i = 0; i < 140; i++)
      await typist.request('user_typing', { channel_id: channel.id, parent_id: '' });
    await observer.waitFor(
      () => observer.eventsOf('typing').length >= seenBefore + 140,
      5_000,
      'observer saw 140 events',
    );
    await watched.waitFor(() => watched.hellos.length === 2, 8_000, 'second hello');
    expect(watched.hellos[1]).not.toBe(firstHello);
    expect(watched.missedCallbacks).toBe(1);
    expect(watched.closes).toBe(1);
  });

  it('gives a new hello when the client comes back through another node', async () => {
    let calls = 0;
    const p = probe(bob, 0, 1_000);
    // Reach node 1 first, then node 2, as a round-robin load balancer would.
    Object.assign(p.client, {
      config: {
        ...(p.client as unknown as { config: object }).config,
        newWebSocketFn: (url: string) => {
          calls += 1;
          const target = calls === 1 ? url : url.replace(/:\d+\//, `:${cluster.nodes[1]!.port}/`);
          p.urls.push(target);
          const socket = new WebSocket(target);
          (p as unknown as { socket: WebSocket }).socket = socket;
          return socket as unknown as globalThis.WebSocket;
        },
      },
    });
    await p.connect();
    const first = p.hellos[0]!;
    p.cut();
    await p.waitFor(() => p.hellos.length === 2, 6_000, 'hello from node 2');
    expect(p.hellos[1]).not.toBe(first);
    expect(p.urls[1]).toContain(`connection_id=${first}`);
    expect(p.missedCallbacks).toBe(1);
  });
});
