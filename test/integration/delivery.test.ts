import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionLoop } from '../../src/load/behaviours/action-loop.js';
import { SimulatedUsers } from '../../src/load/behaviours/simulated-users.js';
import { createPost } from '../../src/mattermost/actions/create-post.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import type { SeriesSnapshot } from '../../src/metrics/sinks.js';
import { requireCredentials, type SeedCredentials } from '../../src/seed/credentials.js';
import { seed } from '../../src/seed/seeder.js';
import { BUILT_IN_SHAPES } from '../../src/seed/shape.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { signUp } from '../support/mattermost.js';

// The delivery check must catch lost events, and must not cry wolf when a member recovers a post
// the way the web app does (a new hello, then a refetch).

const ADMIN = { username: 'sysadmin', password: 'Delivery-admin-Passw0rd' };

async function seededCluster(
  args: string[] = [],
): Promise<{ cluster: DoubleCluster; credentials: SeedCredentials; work: string }> {
  const cluster = await startDoubleCluster({ nodes: 2, objectStore: false, args });
  await signUp(cluster.url, ADMIN.username, ADMIN.password);
  const work = await mkdtemp(join(tmpdir(), 'mmdrill-delivery-'));
  const credentialsPath = join(work, 'seed-small.json');
  await seed({ target: { url: cluster.url, admin: ADMIN }, shape: BUILT_IN_SHAPES.small!, credentialsPath });
  return { cluster, credentials: await requireCredentials(credentialsPath), work };
}

function count(snapshot: Record<string, SeriesSnapshot>, key: string): number {
  const s = snapshot[key];
  return s && 'count' in s ? s.count : 0;
}

describe('a server that drops WebSocket events (--unsafe drop-events)', () => {
  let env: Awaited<ReturnType<typeof seededCluster>>;
  beforeAll(async () => {
    env = await seededCluster(['--unsafe', 'drop-events']);
  }, 180_000);
  afterAll(async () => {
    await env?.cluster.stop();
    if (env) await rm(env.work, { recursive: true, force: true });
  });

  it('counts the posts online members never received as missed', async () => {
    const metrics = new MetricsRegistry();
    const loop = new ActionLoop({
      metrics,
      credentials: env.credentials,
      urls: env.cluster.nodes.map((n) => n.url),
      loop: ['create_post'],
      seed: 1,
      drainMs: 1_000,
    });
    const stop = new AbortController();
    setMaxListeners(0, stop.signal);
    await Promise.all(Array.from({ length: 10 }, (_, vu) => loop.initVu(vu, stop.signal)));
    const deadline = performance.now() + 3_000;
    await Promise.all(
      Array.from({ length: 10 }, async (_, vu) => {
        for (let iteration = 0; performance.now() < deadline; iteration++) {
          const intendedStart = performance.now();
          await loop.iterate(
            { scenario: 'drop', vu, iteration, intendedStart, openModel: false },
            stop.signal,
          );
          await new Promise((r) => setTimeout(r, 100));
        }
      }),
    );
    await loop.close();
    const snap = metrics.snapshot();
    const summary = loop.deliverySummary();

    expect(summary.posts).toBe(count(snap, 'mm_actions{action:create_post,ok:true}'));
    expect(summary.posts).toBeGreaterThan(10);
    expect(summary.byPath).toEqual({ live: 0, replayed: 0, refetched: 0 });
    expect(summary.undelivered).toBeGreaterThan(0);
    expect(count(snap, 'mm_delivery_missed')).toBe(summary.undelivered);
    const missed = loop.missedDeliveries();
    expect(missed).toHaveLength(summary.undelivered);
    expect(missed[0]).toMatchObject({ postId: expect.stringMatching(/^[a-z0-9]{26}$/) });
    expect(missed.every((m) => m.memberVu !== m.senderVu)).toBe(true);
  }, 60_000);
});

describe('a member whose node dies while a post is on its way', () => {
  let env: Awaited<ReturnType<typeof seededCluster>>;
  beforeAll(async () => {
    env = await seededCluster();
  }, 180_000);
  afterAll(async () => {
    await env?.cluster.stop();
    if (env) await rm(env.work, { recursive: true, force: true });
  });

  it('gets it by refetching after the new hello, and it counts as delivered', async () => {
    const metrics = new MetricsRegistry();
    const [node1, node2] = env.cluster.nodes;
    const users = new SimulatedUsers({
      metrics,
      credentials: env.credentials,
      // VU 0 on node 1 (the sender), VU 1 on node 2 (the member).
      urls: [node1!.url, node2!.url],
      seed: 2,
      ws: { minRetryMs: 200, jitterMs: 100 },
    });
    const signal = new AbortController().signal;
    const sender = await users.add(0, signal, true);
    const member = await users.add(1, signal, true);
    const common = sender.teamChannels().find((c) => member.channels.has(c.id));
    expect(common).toBeDefined();
    sender.currentChannel = common!.id;

    // Node 2 frozen: the member's socket stays open (it is online) but nothing reaches it.
    await node2!.freeze();
    const error = await users.run(sender, createPost, signal, performance.now());
    expect(error).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    // The node dies and comes back empty: the member reconnects to a node that does not know
    // its connection, gets a new hello, and refetches.
    await node2!.kill();
    await node2!.start();
    const deadline = Date.now() + 15_000;
    while (users.delivery.outstanding > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    const summary = await users.close();
    const snap = metrics.snapshot();
    expect(summary.posts).toBe(1);
    expect(summary.undelivered).toBe(0);
    expect(summary.byPath).toEqual({ live: 0, replayed: 0, refetched: 1 });
    expect(count(snap, 'mm_ws_reconnects{kind:new_hello}')).toBe(1);
    expect(
      count(snap, 'http_reqs{action:refetch,method:GET,name:/api/v4/channels/{id}/posts,status:200}'),
    ).toBeGreaterThan(0);
  }, 60_000);
});
