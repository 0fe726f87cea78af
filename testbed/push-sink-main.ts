#!/usr/bin/env node
// A push-proxy sink: stands where a self-hosted Mattermost push proxy (MPNS) would, on 127.0.0.1.
// App nodes send `POST /api/v1/send_push` to it (EmailSettings.PushNotificationServer); it answers
// {"status":"OK"} like the proxy, forwards nothing, and keeps what it received so a test can ask
// `GET /received` whether a message text left the server or only ids did. Its log lines carry ids
// only. Started by the native stack as its own component; never imported by src/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1 << 20;
const MAX_KEPT = 10_000;

function listenAddress(): { host: string; port: number } {
  const i = process.argv.indexOf('--listen');
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  const match = value ? /^(127\.0\.0\.1|localhost):(\d{1,5})$/.exec(value) : null;
  if (!match) {
    process.stderr.write('push-sink: expected --listen 127.0.0.1:PORT\n');
    process.exit(2);
  }
  return { host: match[1]!, port: Number(match[2]) };
}

interface Received {
  received_at: string;
  path: string;
  body: unknown;
}

const received: Received[] = [];

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method === 'GET' && path === '/version') return reply(res, 200, { name: 'push-sink' });
  if (req.method === 'GET' && path === '/received') return reply(res, 200, received);
  if (req.method === 'POST' && (path === '/api/v1/send_push' || path === '/api/v1/ack')) {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reply(res, 400, { status: 'FAIL', error: 'invalid JSON' });
    }
    if (received.length >= MAX_KEPT) received.shift();
    received.push({ received_at: new Date().toISOString(), path, body });
    const ids = body as { post_id?: unknown; is_id_loaded?: unknown };
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), msg: 'push received', path, post_id: ids.post_id, is_id_loaded: ids.is_id_loaded })}\n`,
    );
    return reply(res, 200, { status: 'OK' });
  }
  reply(res, 404, { status: 'FAIL', error: 'not found' });
}

const { host, port } = listenAddress();
const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => reply(res, 500, { status: 'FAIL', error: String(err) }));
});
server.listen(port, host, () => process.stdout.write(`push-sink listening on ${host}:${port}\n`));
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
