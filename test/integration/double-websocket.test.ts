import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp, WebSocketClient } from '../support/mattermost.js';
import { WebSocketProbe } from '../support/websocket.js';

let cluster: DoubleCluster;
let alice: SignedUp;

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 2, objectStore: false, args: ['--ws-ping-interval', '400'] });
  alice = await signUp(cluster.url, 'alice');
});

afterAll(async () => {
  await cluster?.stop();
});

describe('WebSocket handshake', () => {
  it('authenticates by challenge and says hello with a connection id and server version', async () => {
    const probe = await new WebSocketProbe(cluster.url, alice.client.getToken()).connect();
    const hello = probe.eventsOf('hello')[0]!;
    const data = hello.data as { connection_id: string; server_version: string };
    expect(hello.seq).toBe(0);
    expect(data.connection_id).toMatch(/^[a-z0-9]{26}$/);
    expect(data.server_version).toMatch(/^\d+\.\d+\.\d+\./);
    expect(hello.broadcast.user_id).toBe(alice.user.id);
    probe.close();
  });

  it('authenticates by the Authorization header on the upgrade', async () => {
    const events: string[] = [];
    const client = new WebSocketClient({
      newWebSocketFn: (url: string) =>
        new WebSocket(url, {
          headers: { Authorization: `Bearer ${alice.client.getToken()}` },
        }) as unknown as globalThis.WebSocket,
    });
    client.addMessageListener((m) => events.push(m.event));
    client.initialize(`${cluster.url.replace('http', 'ws')}/api/v4/websocket`);
    await waitUntil(() => events.includes('hello'));
    client.close();
  });

  it('closes the socket on a bad token', async () => {
    const probe = new WebSocketProbe(cluster.url, 'notavalidtoken0000000000000', { retryMs: 60_000 });
    await expect(probe.connect(2_000)).rejects.toThrow(/hello/);
    expect(probe.closes).toBeGreaterThanOrEqual(1);
    expect(probe.hellos).toHaveLength(0);
    probe.close();
  });

  it('closes an unauthenticated socket after about 5 seconds', async () => {
    const probe = new WebSocketProbe(cluster.url, '', { retryMs: 60_000 });
    const started = Date.now();
    probe.client.initialize(`${cluster.url.replace('http', 'ws')}/api/v4/websocket`);
    await probe.waitFor(() => probe.closes > 0, 9_000, 'close');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThan(4_000);
    expect(elapsed).toBeLessThan(8_000);
    expect(probe.hellos).toHaveLength(0);
    probe.close();
  });

  it('answers ping with pong, version and node id, and sends protocol pings', async () => {
    const probe = await new WebSocketProbe(cluster.url, alice.client.getToken()).connect();
    const reply = await probe.request('ping', {});
    expect(reply.status).toBe('OK');
    expect(reply.data).toMatchObject({ text: 'pong', node_id: 'n1' });
    expect(typeof (reply.data as { server_time: number }).server_time).toBe('number');
    const pings = await probe.countProtocolPings(1_500);
    expect(pings).toBeGreaterThanOrEqual(2);
    probe.close();
  });

  it('fails unknown actions with a Mattermost error', async () => {
    const probe = await new WebSocketProbe(cluster.url, alice.client.getToken()).connect();
    const reply = await probe.request('no_such_action', {});
    expect(reply.status).toBe('FAIL');
    expect(reply.error).toMatchObject({ id: 'api.web_socket_router.bad_action.app_error' });
    probe.close();
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
