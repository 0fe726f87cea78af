import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

// Tiny in-process HTTP + WebSocket servers that say who they are, for tests of the network
// components (NGINX, Toxiproxy) in front of them.

export interface NamedBackend {
  name: string;
  port: number;
  /** host:port, as an upstream or a proxy target. */
  address: string;
  /** Closes the listener and every open connection, like a node that died. */
  close(): Promise<void>;
}

/**
 * GET /headers answers `{name, headers}`; any other request is drained and answered with the
 * backend's name (and the body length for bodies). A WebSocket on any path echoes `name:message`.
 */
export async function startNamedBackend(name: string): Promise<NamedBackend> {
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      res.setHeader('content-type', req.url === '/headers' ? 'application/json' : 'text/plain');
      if (req.url === '/headers') res.end(JSON.stringify({ name, headers: req.headers }));
      else res.end(bytes > 0 ? `${name} ${bytes}` : name);
    });
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => socket.send(`${name}:${data.toString()}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    name,
    port,
    address: `127.0.0.1:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface HttpResult {
  status: number;
  body: string;
}

/** One request on a fresh connection (no keepalive pool hides a refused connect). Rejects on network errors. */
export function httpRequest(
  url: string,
  { method = 'GET', body }: { method?: string; body?: Buffer } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    // nginx may answer 413 and close while the body is still being sent; the answer counts.
    req.on('error', reject);
    if (body) req.setHeader('content-length', body.length);
    req.end(body);
  });
}

/** The error code a request fails with (ECONNREFUSED, ECONNRESET...), or 'answered <status>'. */
export async function requestFailure(url: string): Promise<string> {
  try {
    const { status } = await httpRequest(url);
    return `answered ${status}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/** Milliseconds one request takes, end to end. */
export async function timedRequest(url: string): Promise<{ ms: number; result: HttpResult }> {
  const started = performance.now();
  const result = await httpRequest(url);
  return { ms: performance.now() - started, result };
}

/** Opens a WebSocket, sends `message`, resolves with the first reply, and closes. */
export function webSocketEcho(url: string, message: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no WebSocket reply from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('open', () => socket.send(message));
    socket.once('message', (data) => {
      clearTimeout(timer);
      socket.close();
      resolve(data.toString());
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
