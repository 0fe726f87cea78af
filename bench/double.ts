// npm run bench:double — created posts per second and post → `posted` delivery latency to
// connected clients across the test double's nodes, on real PostgreSQL.
//   node dist/bench/double.js [--clients 200] [--nodes 2] [--posters 8] [--duration 20]
import { parseArgs } from 'node:util';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import hdr from 'hdr-histogram-js';
import {
  type Client4,
  newClient,
  newWebSocketClient,
  type WebSocketClient,
  websocketUrl,
} from '../src/mattermost/official-client.js';
import { startDoubleCluster } from '../src/stack/native/double-cluster.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    nodes: { type: 'string', default: '2' },
    posters: { type: 'string', default: '8' },
    duration: { type: 'string', default: '20' },
  },
});
const CLIENTS = Number(values.clients);
const NODES = Number(values.nodes);
const POSTERS = Number(values.posters);
const DURATION_S = Number(values.duration);
const PASSWORD = 'bench-Passw0rd';

// The official client narrates every connect; a benchmark log wants only its own lines.
console.log = () => undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);

function histogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000,
    numberOfSignificantValueDigits: 3,
  });
}

async function inBatches<T>(count: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) {
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => make(i + j)))),
    );
  }
  return out;
}

async function main(): Promise<void> {
  say(`bench:double — ${CLIENTS} WebSocket clients over ${NODES} nodes, ${POSTERS} posters, ${DURATION_S} s`);
  const cluster = await startDoubleCluster({ nodes: NODES, objectStore: false });
  const wsClients: WebSocketClient[] = [];
  try {
    const admin = newClient(cluster.url);
    await admin.createUser(
      { username: 'benchadmin', email: 'benchadmin@bench.test', password: PASSWORD } as UserProfile,
      '',
      '',
    );
    await admin.login('benchadmin', PASSWORD);
    const team = await admin.createTeam({ name: 'bench', display_name: 'Bench', type: 'O' } as Team);
    const channel = await admin.createChannel({
      team_id: team.id,
      name: 'load',
      display_name: 'Load',
      type: 'O',
    });

    const setupStarted = Date.now();
    const users = await inBatches(CLIENTS, 16, async (i) => {
      const url = cluster.nodes[i % NODES]!.url;
      const client = newClient(url);
      const username = `bench${i}`;
      const user = await client.createUser(
        { username, email: `${username}@bench.test`, password: PASSWORD } as UserProfile,
        '',
        '',
      );
      await client.login(username, PASSWORD);
      await admin.addToTeam(team.id, user.id);
      await admin.addToChannel(user.id, channel.id);
      return { client, user, url };
    });
    say(`setup: ${CLIENTS} users in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);

    const sentAt = new Map<string, number>();
    const delivery = histogram();
    let delivered = 0;
    let measuring = false;
    const pendingPattern = /"pending_post_id":"([^"]+)"/;
    await inBatches(CLIENTS, 50, async (i) => {
      const { client, url } = users[i]!;
      const ws = newWebSocketClient({ minWebSocketRetryTime: 1_000 });
      wsClients.push(ws);
      await new Promise<void>((resolve) => {
        ws.addMessageListener((msg) => {
          if (msg.event === 'hello') resolve();
          if (msg.event !== 'posted' || !measuring) return;
          const now = performance.now();
          // Extract the correlation id without parsing the post JSON 200 times per post.
          const match = pendingPattern.exec(String((msg.data as { post?: string }).post));
          const sent = match ? sentAt.get(match[1]!) : undefined;
          if (sent === undefined) return;
          delivery.recordValue(Math.max(1, Math.round(now - sent)));
          delivered += 1;
        });
        ws.initialize(websocketUrl(url), client.getToken());
      });
    });
    say(`connected: ${CLIENTS} WebSocket clients`);

    const ack = histogram();
    let posts = 0;
    let errors = 0;
    measuring = true;
    const deadline = performance.now() + DURATION_S * 1000;
    const posters: Client4[] = users.slice(0, POSTERS).map((u) => u.client);
    await Promise.all(
      posters.map(async (client, p) => {
        let n = 0;
        while (performance.now() < deadline) {
          const pending = `${users[p]!.user.id}:${n++}`;
          const started = performance.now();
          sentAt.set(pending, started);
          try {
            await client.createPost({
              channel_id: channel.id,
              message: `bench ${n}`,
              pending_post_id: pending,
            });
            ack.recordValue(Math.max(1, Math.round(performance.now() - started)));
            posts += 1;
          } catch {
            errors += 1;
          }
        }
      }),
    );
    const expected = posts * CLIENTS;
    const drainDeadline = Date.now() + 10_000;
    while (delivered < expected && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 50));

    const result = {
      clients: CLIENTS,
      nodes: NODES,
      posters: POSTERS,
      durationS: DURATION_S,
      posts,
      errors,
      postsPerSecond: Number((posts / DURATION_S).toFixed(1)),
      ackMs: { p50: ack.getValueAtPercentile(50), p99: ack.getValueAtPercentile(99) },
      deliveries: { expected, delivered },
      deliveryMs: {
        p50: delivery.getValueAtPercentile(50),
        p99: delivery.getValueAtPercentile(99),
        max: delivery.maxValue,
      },
    };
    say(
      `posts: ${posts} in ${DURATION_S} s = ${result.postsPerSecond}/s (errors ${errors}); ack p50 ${result.ackMs.p50} ms, p99 ${result.ackMs.p99} ms`,
    );
    say(
      `delivery to ${CLIENTS} clients: ${delivered}/${expected}; p50 ${result.deliveryMs.p50} ms, p99 ${result.deliveryMs.p99} ms, max ${result.deliveryMs.max} ms`,
    );
    say(JSON.stringify(result));
  } finally {
    for (const ws of wsClients) ws.close();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:double failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
