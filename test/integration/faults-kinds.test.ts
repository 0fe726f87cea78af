import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseFaultPlanText } from '../../src/faults/plan.js';
import { FaultScheduler } from '../../src/faults/scheduler.js';
import { catalogFromStack } from '../../src/faults/targets.js';
import type { FaultWindow } from '../../src/faults/types.js';
import type { Environment } from '../../src/stack/environment.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { isPidAlive, processState } from '../../src/stack/native/procfs.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';
import { type Client4, newClient } from '../support/mattermost.js';

// Each fault kind against the native stack, through the scheduler: its effect is seen while it
// is in force (through the users' URL, in /proc, in PostgreSQL) and is gone once it is removed.
// The database failover is last: it is one-way.

const ADMIN_PASSWORD = 'Faults-test-Passw0rd';
let env: Environment;
let stack: RunningStack;
let toxiproxy: ToxiproxyClient;
let admin: Client4;
let channelId: string;

beforeAll(async () => {
  env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-faults-test-'),
    adminPassword: ADMIN_PASSWORD,
  });
  toxiproxy = new ToxiproxyClient(stack.document.toxiproxy!);
  admin = newClient(stack.document.url);
  await admin.login(stack.document.admin.username, ADMIN_PASSWORD);
  const team = await admin.createTeam({ name: 'faults', display_name: 'Faults', type: 'O' } as never);
  channelId = (
    await admin.createChannel({ team_id: team.id, name: 'drill', display_name: 'Drill', type: 'O' })
  ).id;
});

afterAll(async () => {
  await stack?.down();
});

const pid = (name: string) => stack.document.components.find((c) => c.name === name)!.pid!;

/** One fault, from plan-file rows, run by a scheduler; `during` runs once it is in force. */
async function underFault(
  rows: string[],
  during: () => Promise<void>,
  { waitForEnd = false } = {},
): Promise<FaultWindow> {
  const text = ['name: it', 'faults:', ...rows.map((row, i) => `${i === 0 ? '  - ' : '    '}${row}`)].join(
    '\n',
  );
  const plan = await parseFaultPlanText(`${text}\n`, 'chaos/it.yaml', env, {
    catalog: catalogFromStack(stack.document),
  });
  const events: Record<string, unknown>[] = [];
  const scheduler = new FaultScheduler({
    plan,
    stack,
    toxiproxy,
    events: { writeEvent: (e) => events.push(e) },
  });
  try {
    scheduler.start();
    await until(() => scheduler.activeFaults.length === 1, 60_000, 'the fault to be applied');
    await during();
    if (waitForEnd) await scheduler.done();
  } finally {
    await scheduler.stopAll();
  }
  const [window] = scheduler.windows;
  expect(window!.error).toBeUndefined();
  expect(events.map((e) => e.phase)).toEqual(['start', 'end']);
  return window!;
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** GET /api/v4/system/ping through `url`: the time it took, or the error. */
async function ping(url = stack.document.url, timeoutMs = 5_000): Promise<{ ok: boolean; ms: number }> {
  const t0 = performance.now();
  try {
    const response = await fetch(`${url}/api/v4/system/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { ok: response.ok, ms: performance.now() - t0 };
  } catch {
    return { ok: false, ms: performance.now() - t0 };
  }
}

const noToxics = async () => (await toxiproxy.listProxies()).every((p) => p.toxics.length === 0 && p.enabled);

describe('toxics on the users link', () => {
  it('latency: requests through the users URL take ≥ 300 ms more while it is in force', async () => {
    expect((await ping()).ms).toBeLessThan(250);
    const window = await underFault(
      ['kind: latency', 'target: users-lb', 'latency: 300ms', 'start: 0s', 'duration: 2s'],
      async () => {
        expect(await toxiproxy.listToxics('users-lb')).toMatchObject([
          { type: 'latency', stream: 'downstream', attributes: { latency: 300, jitter: 0 } },
        ]);
        const slow = await ping();
        expect(slow.ok).toBe(true);
        expect(slow.ms).toBeGreaterThanOrEqual(300);
      },
      { waitForEnd: true },
    );
    expect(window).toMatchObject({ kind: 'latency', affected: ['users-lb'], interrupted: false });
    expect(window.endOffsetMs - window.startOffsetMs).toBeGreaterThanOrEqual(1_900);
    expect(await noToxics()).toBe(true);
    expect((await ping()).ms).toBeLessThan(250);
  });

  it('bandwidth and slicer: the toxics are in place (both streams), requests still succeed', async () => {
    await underFault(
      ['kind: bandwidth', 'target: users-lb', 'stream: both', 'rate: 64', 'start: 0s', 'duration: 1m'],
      async () => {
        expect((await toxiproxy.listToxics('users-lb')).map((t) => [t.type, t.stream]).sort()).toEqual([
          ['bandwidth', 'downstream'],
          ['bandwidth', 'upstream'],
        ]);
        expect((await ping()).ok).toBe(true);
      },
    );
    await underFault(
      ['kind: slicer', 'target: users-lb', 'averageSize: 16', 'delay: 1ms', 'start: 0s', 'duration: 1m'],
      async () => {
        expect(await toxiproxy.listToxics('users-lb')).toMatchObject([
          { type: 'slicer', attributes: { average_size: 16, delay: 1000 } },
        ]);
        expect((await ping()).ok).toBe(true);
      },
    );
    expect(await noToxics()).toBe(true);
  });

  it('timeout, reset_peer, limit_data: requests fail while in force and work after', async () => {
    for (const rows of [
      ['kind: timeout', 'target: users-lb', 'start: 0s', 'duration: 1m'],
      ['kind: reset_peer', 'target: users-lb', 'start: 0s', 'duration: 1m'],
      ['kind: limit_data', 'target: users-lb', 'bytes: 10', 'start: 0s', 'duration: 1m'],
    ]) {
      await underFault(rows, async () => {
        expect((await ping(stack.document.url, 1_000)).ok, rows[0]).toBe(false);
      });
      expect(await noToxics()).toBe(true);
      await until(async () => (await ping()).ok, 5_000, `requests to work after ${rows[0]}`);
    }
  });
});

describe('links down and process faults', () => {
  it('partition of lb-app: every lb-app-N proxy disabled, users get errors; enabled again after', async () => {
    const window = await underFault(
      ['kind: partition', 'target: lb-app', 'start: 0s', 'duration: 1m'],
      async () => {
        const proxies = await toxiproxy.listProxies();
        expect(proxies.filter((p) => !p.enabled).map((p) => p.name)).toEqual(['lb-app-1', 'lb-app-2']);
        expect((await ping()).ok).toBe(false);
      },
    );
    expect(window.affected).toEqual(['lb-app-1', 'lb-app-2']);
    expect(await noToxics()).toBe(true);
    // NGINX keeps both nodes out for its fail_timeout (10 s) after their last failure.
    await until(async () => (await ping()).ok, 20_000, 'the users URL to answer again');
  });

  it('freeze: the node is stopped (state T) for the duration, then runs again', async () => {
    const node = pid('app-1');
    const url = stack.document.appNodes.find((n) => n.name === 'app-1')!.url;
    await underFault(['kind: freeze', 'target: app-1', 'start: 0s', 'duration: 1m'], async () => {
      expect(processState(node)).toBe('T');
      expect((await ping(url, 500)).ok).toBe(false);
    });
    expect(processState(node)).not.toBe('T');
    expect((await ping(url)).ok).toBe(true);
  });

  it('kill: the PID is gone while in force; the node is started again after restartAfter', async () => {
    const node = pid('app-2');
    const url = stack.document.appNodes.find((n) => n.name === 'app-2')!.url;
    await underFault(
      ['kind: kill', 'target: app-2', 'start: 0s', 'duration: 1m', 'restartAfter: 1s'],
      async () => {
        expect(isPidAlive(node)).toBe(false);
        expect((await ping(url, 500)).ok).toBe(false);
        // Started again within the fault, after restartAfter.
        await until(async () => (await ping(url, 500)).ok, 15_000, 'app-2 to be started again');
      },
    );
    expect(isPidAlive(node)).toBe(false);
    expect((await ping(url)).ok).toBe(true);
  });

  it('restart: nginx is stopped and started again; the users URL answers after', async () => {
    const old = pid('nginx');
    await underFault(['kind: restart', 'target: nginx', 'start: 0s', 'duration: 1s'], async () => undefined, {
      waitForEnd: true,
    });
    expect(isPidAlive(old)).toBe(false);
    await until(async () => (await ping()).ok, 10_000, 'nginx to answer after its restart');
  });

  it('object-store-outage: an upload fails during the outage and works after', async () => {
    const upload = () =>
      fetch(`${admin.getFilesRoute()}?channel_id=${channelId}&filename=f.txt`, {
        ...admin.getOptions({ method: 'post', body: 'hello', headers: { 'Content-Type': 'text/plain' } }),
        signal: AbortSignal.timeout(20_000),
      }).then((r) => r.status);
    expect(await upload()).toBe(201);
    const window = await underFault(
      ['kind: object-store-outage', 'target: object-store', 'start: 0s', 'duration: 1m'],
      async () => {
        expect((await toxiproxy.getProxy('app-object-store')).enabled).toBe(false);
        expect(await upload()).toBeGreaterThanOrEqual(500);
      },
    );
    expect(window.affected).toEqual(['app-object-store']);
    expect((await toxiproxy.getProxy('app-object-store')).enabled).toBe(true);
    expect(await upload()).toBe(201);
  });
});

describe('db-failover (one-way: last)', () => {
  it('kills the primary, promotes the replica, repoints app-db-primary; the app keeps writing', async () => {
    const primary = pid('postgres-primary');
    const replica = stack.document.components.find((c) => c.name === 'postgres-replica')!;
    const replicaAddress = stack.document.proxies.find((p) => p.name === 'app-db-replica')!.upstream;
    await admin.createPost({ channel_id: channelId, message: 'before the failover' });
    const window = await underFault(
      ['kind: db-failover', 'target: postgres-primary', 'start: 0s', 'duration: 1s'],
      async () => {
        expect(isPidAlive(primary)).toBe(false);
        expect((await toxiproxy.getProxy('app-db-primary')).upstream).toBe(replicaAddress);
      },
      { waitForEnd: true },
    );
    expect(window).toMatchObject({ kind: 'db-failover', recoveryFrom: 'start', interrupted: false });
    const client = new pg.Client({ connectionString: replica.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ recovering: boolean }>(
        'SELECT pg_is_in_recovery() AS recovering',
      );
      expect(rows[0]!.recovering).toBe(false);
    } finally {
      await client.end();
    }
    // Removal does not fail back: the proxy stays on the promoted replica, open again.
    expect(await toxiproxy.getProxy('app-db-primary')).toMatchObject({
      upstream: replicaAddress,
      enabled: true,
    });
    let written: string | undefined;
    await until(
      async () => {
        written = await admin
          .createPost({ channel_id: channelId, message: 'after the failover' })
          .then((p) => p.id)
          .catch(() => undefined);
        return written !== undefined;
      },
      30_000,
      'a post to be written after the failover',
    );
    const posts = await admin.getPosts(channelId);
    expect(Object.values(posts.posts).map((p) => p.message)).toEqual(
      expect.arrayContaining(['before the failover', 'after the failover']),
    );
  });
});
