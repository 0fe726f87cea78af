import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Arrival, WsSession } from '../../../src/mattermost/ws-session.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';

// The WebSocket session's bookkeeping against a scripted server: first hello, resume with replay,
// new hello (refetch), and a seq gap (the official client closes with 4001).

interface Script {
  /** What to send after authentication on a connection that asked to resume `connection_id`. */
  onResume(socket: WebSocket, fromSeq: number): void;
}

let server: WebSocketServer | null = null;

async function scriptedServer(script: Script): Promise<{ url: string; sockets: WebSocket[] }> {
  const sockets: WebSocket[] = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => server!.once('listening', r));
  server.on('connection', (socket, req) => {
    sockets.push(socket);
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const resumeId = params.get('connection_id') ?? '';
    const fromSeq = Number(params.get('sequence_number') ?? 0);
    socket.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { action: string; seq: number };
      socket.send(
        JSON.stringify({
          status: 'OK',
          seq_reply: msg.seq,
          ...(msg.action === 'ping' && { data: { text: 'pong' } }),
        }),
      );
      if (msg.action !== 'authentication_challenge') return;
      if (resumeId) script.onResume(socket, fromSeq);
      else socket.send(JSON.stringify(hello('c1', 0)));
    });
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, sockets };
}

function hello(id: string, seq: number) {
  return { event: 'hello', data: { connection_id: id }, broadcast: { user_id: 'u' }, seq };
}

function posted(seq: number) {
  return { event: 'posted', data: { post: `{"id":"p${seq}"}` }, broadcast: { channel_id: 'ch' }, seq };
}

afterEach(async () => {
  if (server) {
    for (const c of server.clients) c.terminate();
    await new Promise((r) => server!.close(r));
    server = null;
  }
});

function count(metrics: MetricsRegistry, key: string): number {
  const s = metrics.snapshot()[key];
  return s && 'count' in s ? s.count : 0;
}

async function until(predicate: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function session(url: string, metrics: MetricsRegistry) {
  const events: [string, Arrival][] = [];
  const online: boolean[] = [];
  const refetches: number[] = [];
  const s = new WsSession(
    { baseUrl: url, token: 't', metrics, minRetryMs: 20, jitterMs: 0 },
    {
      onEvent: (msg, arrival) => events.push([`${msg.event}:${msg.seq}`, arrival]),
      onOnline: (o) => online.push(o),
      onNewHello: (since) => refetches.push(since),
    },
  );
  return { s, events, online, refetches };
}

describe('WebSocket session', () => {
  it('resumes a lost connection and marks replayed events', async () => {
    const { url, sockets } = await scriptedServer({
      onResume: (socket, fromSeq) => {
        // Replay what the client missed, then (after its ping) go on live.
        for (let seq = fromSeq; seq < 4; seq++) socket.send(JSON.stringify(posted(seq)));
      },
    });
    const metrics = new MetricsRegistry();
    const { s, events, online, refetches } = session(url, metrics);
    await s.open();
    expect(s.online).toBe(true);
    expect(s.connectionId).toBe('c1');
    sockets[0]!.send(JSON.stringify(posted(1)));
    await until(() => events.length === 1);
    sockets[0]!.terminate();
    await until(() => count(metrics, 'mm_ws_reconnects{kind:resumed}') === 1);
    sockets[1]!.send(JSON.stringify(posted(4)));
    await until(() => events.length === 4);
    expect(events).toEqual([
      ['posted:1', 'live'],
      ['posted:2', 'replay'],
      ['posted:3', 'replay'],
      ['posted:4', 'live'],
    ]);
    expect(online).toEqual([true, false, true]);
    expect(refetches).toEqual([]);
    expect(count(metrics, 'mm_ws_connects{result:resumed}')).toBe(1);
    expect(count(metrics, 'mm_ws_reconnect_time')).toBe(1);
    expect((metrics.snapshot().mm_ws_sessions as { value: number }).value).toBe(1);
    s.close();
    expect((metrics.snapshot().mm_ws_sessions as { value: number }).value).toBe(0);
    expect(online.at(-1)).toBe(false);
  });

  it('asks for a refetch when the server answers a resume with a new hello', async () => {
    const { url, sockets } = await scriptedServer({
      onResume: (socket) => socket.send(JSON.stringify(hello('c2', 0))),
    });
    const metrics = new MetricsRegistry();
    const { s, refetches } = session(url, metrics);
    const before = Date.now();
    await s.open();
    sockets[0]!.terminate();
    await until(() => refetches.length === 1);
    expect(refetches[0]!).toBeLessThanOrEqual(before);
    expect(s.connectionId).toBe('c2');
    expect(s.lastDisruptionAt).toBeGreaterThanOrEqual(before);
    expect(count(metrics, 'mm_ws_reconnects{kind:new_hello}')).toBe(1);
    expect(count(metrics, 'mm_ws_connects{result:hello}')).toBe(2);
    s.close();
  });

  it('counts a seq gap and reconnects', async () => {
    const { url, sockets } = await scriptedServer({ onResume: () => undefined });
    const metrics = new MetricsRegistry();
    const { s, events } = session(url, metrics);
    await s.open();
    sockets[0]!.send(JSON.stringify(posted(1)));
    sockets[0]!.send(JSON.stringify(posted(3))); // seq 2 never came
    await until(() => count(metrics, 'mm_ws_seq_gaps') === 1);
    await until(() => count(metrics, 'mm_ws_reconnects{kind:resumed}') === 1);
    expect(events.map(([e]) => e)).toEqual(['posted:1']);
    expect(sockets).toHaveLength(2);
    s.close();
  });

  it('gives up connecting after the timeout', async () => {
    const metrics = new MetricsRegistry();
    const s = new WsSession({
      baseUrl: 'http://127.0.0.1:9',
      token: 't',
      metrics,
      minRetryMs: 20,
      jitterMs: 0,
      connectTimeoutMs: 300,
    });
    await expect(s.open()).rejects.toThrow(/no WebSocket hello/);
    expect(count(metrics, 'mm_ws_connects{result:failed}')).toBeGreaterThan(0);
    expect(s.online).toBe(false);
  });
});
