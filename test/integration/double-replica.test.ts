import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DoubleMetrics } from '../../testbed/double/metrics.js';
import { Database } from '../../testbed/double/store/db.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp } from '../support/mattermost.js';

// With a read replica configured, reads go to the replica (as Mattermost's DataSourceReplicas),
// writes to the primary, and losing the replica falls back to the primary. A read past
// SqlSettings.QueryTimeout is cancelled in PostgreSQL and does not take a busy replica out of
// rotation.

let cluster: DoubleCluster;
let alice: SignedUp;

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, replica: true, objectStore: false });
  alice = await signUp(cluster.url, 'alice');
});

afterAll(async () => {
  await cluster?.stop();
});

async function replicaConnections(): Promise<number> {
  const rows = await cluster.replica!.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'mm-double-replica'",
    [],
    'mattermost',
  );
  return rows[0]!.n;
}

describe('read replica', () => {
  it('serves reads from the replica and the written data arrives there', async () => {
    const team = await alice.client.createTeam({
      name: 'replicated',
      display_name: 'Replicated',
      type: 'O',
    } as Team);
    const channel = await alice.client.createChannel({
      team_id: team.id,
      name: 'r',
      display_name: 'R',
      type: 'O',
    });
    const post = await alice.client.createPost({ channel_id: channel.id, message: 'through the primary' });
    const deadline = Date.now() + 5_000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      const list = await alice.client.getPosts(channel.id);
      seen = list.order.includes(post.id);
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe(true);
    expect(await replicaConnections()).toBeGreaterThan(0);
    const onReplica = await cluster.replica!.query<{ id: string }>(
      'SELECT id FROM posts WHERE id = $1',
      [post.id],
      'mattermost',
    );
    expect(onReplica).toHaveLength(1);
  });

  it('falls back to the primary for reads while the replica is down', async () => {
    await cluster.replica!.stop();
    try {
      const me = await alice.client.getMe();
      expect(me.id).toBe(alice.user.id);
      const teams = await alice.client.getMyTeams();
      expect(teams.map((t) => t.name)).toContain('replicated');
    } finally {
      await cluster.replica!.start();
    }
  });
});

describe('query timeout (SqlSettings.QueryTimeout)', () => {
  // The double's store with a short timeout, against the cluster's real primary and replica.
  function database(logs: string[]): Database {
    return new Database(
      {
        primaryUrl: cluster.postgres.url('mattermost'),
        replicaUrl: cluster.replica!.url('mattermost'),
        queryTimeoutMs: 500,
        maxConnections: 2,
      },
      new DoubleMetrics('query-timeout-test'),
      (msg) => logs.push(msg),
    );
  }

  async function sleepersOn(pgCluster: DoubleCluster['postgres']): Promise<number> {
    const rows = await pgCluster.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND state = 'active'",
      [],
      'mattermost',
    );
    return rows[0]!.n;
  }

  it('cancels the statement in PostgreSQL, and the busy replica stays in rotation', async () => {
    const logs: string[] = [];
    const db = database(logs);
    try {
      const started = Date.now();
      // A statement the server cancels (57014), not one the client gave up on and left running,
      // and not re-run on the primary as if the replica were gone.
      await expect(db.read('Test.Slow', 'SELECT pg_sleep(4)')).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await sleepersOn(cluster.replica!)).toBe(0);
      expect(await sleepersOn(cluster.postgres)).toBe(0);
      const { rows } = await db.read<{ standby: boolean }>(
        'Test.Where',
        'SELECT pg_is_in_recovery() AS standby',
      );
      expect(rows[0]!.standby).toBe(true);
      expect(logs.join('\n')).not.toMatch(/replica unreachable/);
    } finally {
      await db.close();
    }
  });

  it('a replica that does not answer at all is still taken out of rotation', async () => {
    const logs: string[] = [];
    const db = database(logs);
    // A pooled connection first: the frozen server then gives no answer on it at all (the
    // client-side backstop fires) and the probe's fresh connection gets none either.
    await db.read('Test.Warm', 'SELECT 1');
    await cluster.replica!.freeze();
    try {
      const { rows } = await db.read<{ standby: boolean }>(
        'Test.Where',
        'SELECT pg_is_in_recovery() AS standby',
      );
      expect(rows[0]!.standby).toBe(false);
      expect(logs.join('\n')).toMatch(/replica unreachable/);
    } finally {
      await cluster.replica!.thaw();
      await db.close();
    }
  });
});
