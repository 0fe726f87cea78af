import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp } from '../support/mattermost.js';

// With a read replica configured, reads go to the replica (as Mattermost's DataSourceReplicas),
// writes to the primary, and losing the replica falls back to the primary.

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
