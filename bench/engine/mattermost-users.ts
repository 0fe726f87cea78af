import type { UserProfile } from '@mattermost/types/users';
import { UserModel } from '../../src/load/behaviours/user-model.js';
import { newClient } from '../../src/mattermost/official-client.js';
import type { MetricsRegistry } from '../../src/metrics/registry.js';
import { credentialsFile, requireCredentials, type SeedCredentials } from '../../src/seed/credentials.js';
import { seed } from '../../src/seed/seeder.js';
import { type DoubleCluster, startDoubleCluster } from '../../src/stack/native/double-cluster.js';

// Shared by the Mattermost sections of bench:engine: a double cluster seeded with `users`
// accounts, and a way to bring N simulated users (logged in, WebSocket open) up on it.

const ADMIN = { username: 'benchadmin', password: 'bench-Admin-Passw0rd' };

export interface SeededDouble {
  cluster: DoubleCluster;
  credentials: SeedCredentials;
}

export async function seededDouble(
  dir: string,
  users: number,
  say: (line: string) => void,
): Promise<SeededDouble> {
  const cluster = await startDoubleCluster({ nodes: 2, objectStore: false });
  try {
    const admin = newClient(cluster.url);
    await admin.createUser(
      { username: ADMIN.username, email: 'benchadmin@bench.test', password: ADMIN.password } as UserProfile,
      '',
      '',
    );
    const path = credentialsFile('bench', dir);
    const t0 = Date.now();
    await seed({
      target: { url: cluster.url, admin: ADMIN },
      shape: {
        name: 'bench',
        teams: 1,
        channels: 20,
        privateShare: 0.2,
        users,
        channelsPerUser: 5,
        posts: 200,
        replyShare: 0.2,
        authorsPerChannel: 2,
      },
      credentialsPath: path,
      concurrency: 16,
    });
    say(`  seeded ${users} users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return { cluster, credentials: await requireCredentials(path) };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/** The user model over both nodes (VU n on node n % 2), production mix and pace. */
export function userModel(
  seeded: SeededDouble,
  metrics: MetricsRegistry,
  options: { idleAvgMs?: number } = {},
): UserModel {
  return new UserModel({
    metrics,
    urls: seeded.cluster.nodes.map((n) => n.url),
    credentials: seeded.credentials,
    seed: 'bench',
    ...(options.idleAvgMs !== undefined && {
      idle: { minMs: Math.min(1_000, options.idleAvgMs), avgMs: options.idleAvgMs },
    }),
  });
}

/** Initialises VUs 0..count-1 with bounded concurrency (logins are the expensive part). */
export async function bringUp(
  model: UserModel,
  count: number,
  signal: AbortSignal,
  concurrency = 32,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const vu = next++;
        await model.initVu(vu, signal);
      }
    }),
  );
}
