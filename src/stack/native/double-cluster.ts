import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DoubleAppNode } from './double-node.js';
import { VersityGateway } from './object-store.js';
import { PostgresCluster } from './postgres.js';
import { RtcdDouble } from './rtcd.js';
import { createRunDir } from './run-dir.js';

export interface DoubleClusterOptions {
  nodes?: number;
  replica?: boolean;
  objectStore?: boolean;
  /** Extra `mm-double` flags for every node. */
  args?: string[];
  /** Start an rtcd double and enable Calls on every node (`--rtcd-url`). */
  calls?: boolean;
  /** Extra environment for every node (e.g. MM_CALLS_ICE_SERVERS_CONFIGS). */
  env?: Record<string, string>;
}

export interface DoubleCluster {
  /** Node 1's base URL. */
  url: string;
  nodes: DoubleAppNode[];
  postgres: PostgresCluster;
  replica: PostgresCluster | null;
  objectStore: VersityGateway | null;
  /** The Calls media server, with `calls: true`. */
  rtcd: RtcdDouble | null;
  runDir: string;
  stopNode(i: number): Promise<void>;
  killNode(i: number): Promise<void>;
  startNode(i: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The app tier's own back end without the network in front: real PostgreSQL (+ streaming
 * replica), a real S3 server (versitygw) and N nodes of the test double, each its own process
 * started from dist/testbed/main.js. Used by the double's tests and benchmark; the native stack
 * provider adds Toxiproxy and NGINX around the same parts.
 */
export async function startDoubleCluster(options: DoubleClusterOptions = {}): Promise<DoubleCluster> {
  const runDir = await createRunDir('mmdrill-double-');
  const started: { kill(): Promise<unknown> }[] = [];
  try {
    const postgres = new PostgresCluster({ dir: join(runDir, 'pg-primary'), name: 'postgres-primary' });
    started.push(postgres);
    await postgres.init();
    await postgres.start();
    await postgres.createDatabase('mattermost');
    let replica: PostgresCluster | null = null;
    if (options.replica) {
      replica = await postgres.createReplica({ dir: join(runDir, 'pg-replica'), name: 'postgres-replica' });
      started.push(replica);
      await replica.start();
    }
    let objectStore: VersityGateway | null = null;
    if (options.objectStore ?? true) {
      objectStore = new VersityGateway({ dir: join(runDir, 's3'), bucket: 'mattermost' });
      started.push(objectStore);
      await objectStore.start();
    }
    let rtcd: RtcdDouble | null = null;
    if (options.calls) {
      rtcd = new RtcdDouble({ dir: runDir });
      started.push(rtcd);
      await rtcd.start();
    }
    const nodeArgs = [...(options.args ?? []), ...(rtcd ? ['--rtcd-url', rtcd.url] : [])];
    const nodes = Array.from(
      { length: options.nodes ?? 1 },
      (_, i) =>
        new DoubleAppNode({
          dir: runDir,
          nodeId: `n${i + 1}`,
          databaseUrl: postgres.url('mattermost'),
          replicaUrl: replica?.url('mattermost'),
          objectStore: objectStore
            ? {
                endpoint: objectStore.endpoint,
                bucket: objectStore.bucket,
                region: objectStore.region,
                accessKey: objectStore.accessKey,
                secretKey: objectStore.secretKey,
              }
            : undefined,
          extraArgs: nodeArgs,
          extraEnv: options.env,
        }),
    );
    started.push(...nodes);
    // The first node creates the schema; the others then start in parallel.
    await nodes[0]!.start();
    await Promise.all(nodes.slice(1).map((n) => n.start()));
    const node = (i: number) => {
      const n = nodes[i];
      if (!n) throw new Error(`no node ${i}`);
      return n;
    };
    return {
      url: nodes[0]!.url,
      nodes,
      postgres,
      replica,
      objectStore,
      rtcd,
      runDir,
      stopNode: async (i) => void (await node(i).stop()),
      killNode: async (i) => void (await node(i).kill()),
      startNode: async (i) => void (await node(i).start()),
      stop: async () => {
        await Promise.allSettled(nodes.map((n) => n.stop({ timeoutMs: 5_000 })));
        await Promise.allSettled([rtcd?.stop(), replica?.stop(), objectStore?.stop(), postgres.stop()]);
        if (!process.env.MMDRILL_KEEP_RUN_DIRS) await rm(runDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.allSettled(started.map((c) => c.kill()));
    throw err;
  }
}
