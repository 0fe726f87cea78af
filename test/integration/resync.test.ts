import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedUsers } from '../../src/load/behaviours/simulated-users.js';
import { inScope } from '../../src/mattermost/http.js';
import type { SimulatedUser } from '../../src/mattermost/simulated-user.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import type { SeriesSnapshot } from '../../src/metrics/sinks.js';
import { requireCredentials } from '../../src/seed/credentials.js';
import { seed } from '../../src/seed/seeder.js';
import { BUILT_IN_SHAPES } from '../../src/seed/shape.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { signUp } from '../support/mattermost.js';

// The resync burst's trigger, against a real double whose replay buffer is cut from Mattermost's
// 128 events per connection to 16 (`--ws-replay-buffer`), so that a gap outlives it in seconds:
// a WebSocket gap during which fewer events than the buffer holds were sent resumes (the web app
// still runs its reconnect handler, but nobody reloads); a gap that outlived the buffer gets a new
// hello and the client resyncs — counted in mm_ws_resyncs, with its requests tagged `resync`.

const REPLAY_BUFFER = 16;
let cluster: DoubleCluster;
let work: string;
const ADMIN = { username: 'sysadmin', password: 'Resync-admin-Passw0rd' };

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, args: ['--ws-replay-buffer', String(REPLAY_BUFFER)] });
  await signUp(cluster.url, ADMIN.username, ADMIN.password);
  work = await mkdtemp(join(tmpdir(), 'mmdrill-resync-'));
  await seed({
    target: { url: cluster.url, admin: ADMIN },
    shape: BUILT_IN_SHAPES.small!,
    credentialsPath: join(work, 'seed-small.json'),
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function count(snapshot: Record<string, SeriesSnapshot>, prefix: string): number {
  let total = 0;
  for (const [key, s] of Object.entries(snapshot))
    if ((key === prefix || key.startsWith(`${prefix}{`) || key.startsWith(prefix)) && 'count' in s)
      total += s.count;
  return total;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Cuts `listener`'s socket, has `sender` post `posts` times into their DM meanwhile, waits until back. */
async function gap(listener: SimulatedUser, sender: SimulatedUser, channelId: string, posts: number) {
  listener.session.cut();
  await until('the socket to drop', () => !listener.session.online);
  const started = Date.now();
  await inScope({ action: 'sender' }, async () => {
    for (let i = 0; i < posts; i++) await sender.createPost(channelId, `missed ${i}`);
  });
  // Otherwise the test would not test what it says: the socket came back while posts were sent.
  expect(listener.session.online, `${posts} posts took ${Date.now() - started} ms`).toBe(false);
  await until('the socket to come back', () => listener.session.online);
  // The reconnect handler and the resync run right after the socket is back.
  await new Promise((r) => setTimeout(r, 1_500));
}

describe('resync after a WebSocket gap', () => {
  it('resumes a gap shorter than the replay buffer and resyncs one longer than it', async () => {
    const metrics = new MetricsRegistry();
    const credentials = await requireCredentials(join(work, 'seed-small.json'));
    // Reconnects after 8 s: time enough to send the missed events while the socket is down.
    const users = new SimulatedUsers({
      metrics,
      credentials,
      urls: [cluster.url],
      seed: 'resync',
      ws: { minRetryMs: 8_000, jitterMs: 0 },
      drainMs: 0,
    });
    const controller = new AbortController();
    try {
      const listener = await users.add(0, controller.signal, true);
      const sender = await users.add(1, controller.signal, true);
      const dm = await sender.client.createDirectChannel([sender.me.id, listener.me.id]);

      await gap(listener, sender, dm.id, 3);
      let snap = metrics.snapshot();
      expect(count(snap, 'mm_ws_reconnects{kind:resumed}')).toBe(1);
      expect(count(snap, 'mm_ws_resyncs')).toBe(0);
      expect(count(snap, 'mm_reqs_resync')).toBeGreaterThan(0); // the reconnect handler's requests
      expect(count(snap, 'http_reqs{action:resync')).toBe(0);

      await gap(listener, sender, dm.id, REPLAY_BUFFER + 12);
      snap = metrics.snapshot();
      expect(count(snap, 'mm_ws_reconnects{kind:new_hello}')).toBe(1);
      expect(count(snap, 'mm_ws_resyncs')).toBe(1);
      // The reload: the reconnect requests again plus the client config.
      const resyncKeys = Object.keys(snap).filter(
        (k) => k.startsWith('http_reqs{') && k.includes('action:resync'),
      );
      expect(resyncKeys.some((k) => k.includes('name:/api/v4/config/client'))).toBe(true);
      expect(resyncKeys.some((k) => k.includes('name:/api/v4/users/{id}/teams/unread'))).toBe(true);
    } finally {
      await users.close();
      controller.abort();
    }
  }, 120_000);
});
