import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserModel } from '../../src/load/behaviours/user-model.js';
import { USER_ACTION_NAMES, type UserActionName } from '../../src/mattermost/actions/catalogue.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import type { SeriesSnapshot } from '../../src/metrics/sinks.js';
import { requireCredentials } from '../../src/seed/credentials.js';
import { seed } from '../../src/seed/seeder.js';
import { BUILT_IN_SHAPES } from '../../src/seed/shape.js';
import { CLIENT_ENDPOINTS } from '../support/client-endpoints.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { signUp } from '../support/mattermost.js';

// Twenty simulated users on two double nodes for 15 s, every action of the mix forced to equal
// weight and a fast idle time: each action runs and succeeds, every user holds a WebSocket, and
// every post reaches every online member of its channel (0 missed).

let cluster: DoubleCluster;
let work: string;
const ADMIN = { username: 'sysadmin', password: 'Model-admin-Passw0rd' };

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 2 });
  await signUp(cluster.url, ADMIN.username, ADMIN.password);
  work = await mkdtemp(join(tmpdir(), 'mmdrill-user-model-'));
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

/** A closed-model loop like constant-vus: each VU iterates back to back until the deadline. */
async function runClosed(model: UserModel, vus: number, durationMs: number): Promise<unknown[]> {
  const errors: unknown[] = [];
  const stop = new AbortController();
  // One signal for every VU here (the executors give each VU its own).
  setMaxListeners(0, stop.signal);
  await Promise.all(Array.from({ length: vus }, (_, vu) => model.initVu(vu, stop.signal)));
  const deadline = performance.now() + durationMs;
  const timer = setTimeout(() => stop.abort(), durationMs + 2_000);
  await Promise.all(
    Array.from({ length: vus }, async (_, vu) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const intendedStart = performance.now();
        await model
          .iterate({ scenario: 'test', vu, iteration, intendedStart, openModel: false }, stop.signal)
          .catch((err: unknown) => errors.push(err));
      }
    }),
  );
  clearTimeout(timer);
  return errors;
}

function count(snapshot: Record<string, SeriesSnapshot>, key: string): number {
  const s = snapshot[key];
  return s && 'count' in s ? s.count : 0;
}

describe('user model', () => {
  it('runs every action of the mix with live WebSockets and delivers every post', async () => {
    const metrics = new MetricsRegistry();
    const credentials = await requireCredentials(join(work, 'seed-small.json'));
    const weights = Object.fromEntries(USER_ACTION_NAMES.map((n) => [n, 1])) as Record<
      UserActionName,
      number
    >;
    const model = new UserModel({
      metrics,
      credentials,
      urls: cluster.nodes.map((n) => n.url),
      seed: 7,
      weights,
      idle: { minMs: 100, avgMs: 300 },
      rates: [{ rate: 1, share: 1 }],
      ws: { minRetryMs: 300, jitterMs: 200 },
      fileUploads: true,
      statusIntervalMs: 3_000,
    });
    const errors = await runClosed(model, 20, 15_000);
    const sessionsDuringRun = (metrics.snapshot().mm_ws_sessions as { max: number }).max;
    await model.close();
    const snap = metrics.snapshot();

    const failures = USER_ACTION_NAMES.filter((a) => count(snap, `mm_actions{action:${a},ok:false}`) > 0).map(
      (a) => `${a}: ${count(snap, `mm_actions{action:${a},ok:false}`)}`,
    );
    expect(
      failures,
      `actions that failed: ${errors.map((e) => `${String(e)} ${(e as { url?: string }).url ?? ''}`).join('; ')}`,
    ).toEqual([]);
    const missing = USER_ACTION_NAMES.filter((a) => count(snap, `mm_actions{action:${a},ok:true}`) === 0);
    expect(missing, 'actions never run').toEqual([]);
    for (const a of USER_ACTION_NAMES)
      expect(count(snap, `mm_action_duration{action:${a}}`)).toBeGreaterThan(0);
    expect(count(snap, 'mm_actions{action:get_statuses,ok:true}')).toBeGreaterThan(0);

    // WebSockets: all 20 open at once, reconnects after the cuts, and events flowing.
    expect(sessionsDuringRun).toBe(20);
    expect(count(snap, 'mm_ws_connects{result:hello}')).toBeGreaterThanOrEqual(20);
    expect(count(snap, 'mm_ws_reconnects')).toBeGreaterThan(0);
    expect(count(snap, 'mm_ws_reconnect_time')).toBe(count(snap, 'mm_ws_reconnects'));
    expect(count(snap, 'mm_ws_events{event:posted}')).toBeGreaterThan(0);
    expect(count(snap, 'mm_ws_seq_gaps')).toBe(0);

    // HTTP: endpoint templates, never concrete ids.
    const names = Object.keys(snap).filter((k) => k.startsWith('http_reqs{'));
    expect(names.some((k) => k.includes('name:/api/v4/channels/{id}/posts'))).toBe(true);
    expect(names.filter((k) => /[a-z0-9]{26}/.test(k))).toEqual([]);
    // Every endpoint the model called is one real clients call (the list the double's
    // conformance suite walks): parameters and the `me` alias compared as placeholders.
    const shape = (method: string, path: string) =>
      `${method} ${path.replace(/\{[^}]*\}/g, '{}').replace(/\/users\/me(\/|$)/, '/users/{}$1')}`;
    const known = new Set(CLIENT_ENDPOINTS.map((e) => shape(e.method, e.path)));
    const called = new Set(
      names.map((k) => {
        const method = /method:([A-Z]+)/.exec(k)?.[1] ?? '';
        const name = /name:(.+?),status:/.exec(k)?.[1] ?? '';
        return shape(method, name);
      }),
    );
    expect(
      [...called].filter((c) => !known.has(c)),
      'endpoints no real client calls',
    ).toEqual([]);
    expect(count(snap, 'mm_timeouts')).toBe(0);

    // Delivery: every acknowledged post counted, delivered to every online member.
    const delivery = model.deliverySummary();
    // Posts made through the tracked path: posts, uploads, new DMs/GMs, sent scheduled posts.
    const created = new Set(model.acknowledgedPosts()).size;
    expect(created).toBeGreaterThanOrEqual(
      count(snap, 'mm_actions{action:create_post,ok:true}') +
        count(snap, 'mm_actions{action:upload_file,ok:true}'),
    );
    expect(delivery.posts).toBe(created);
    expect(delivery.undelivered).toBe(0);
    expect(model.missedDeliveries()).toEqual([]);
    expect(count(snap, 'mm_delivery_missed')).toBe(0);
    const delivered = delivery.byPath.live + delivery.byPath.replayed + delivery.byPath.refetched;
    expect(delivered).toBe(count(snap, 'mm_delivery_latency'));
    expect(delivery.byPath.live).toBeGreaterThan(created);
    expect(delivery.latency.p50).toBeGreaterThan(0);
    expect(delivery.latency.p99).toBeLessThan(5_000);
  }, 120_000);
});
