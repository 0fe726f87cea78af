import { createServer, type Server } from 'node:http';
import type { IceCandidateInit, IceServer, SessionDescriptionInit } from '@roamhq/wrtc';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../double/log.js';
import { CallRegistry, CallsError } from './calls.js';
import type { LinkMessage, LinkRequest } from './link-protocol.js';
import type { RtcSession } from './session.js';

export interface RtcdConfig {
  listenHost: string;
  listenPort: number;
  /** The only address whose ICE candidates are offered and accepted (loopback here). */
  iceAddress: string;
  reconnectWindowMs: number;
  /** ICE servers of the SFU's own peer connections (none: host candidates on loopback). */
  iceServers: IceServer[];
}

/**
 * The rtcd double: an SFU process that app nodes reach over one internal WebSocket each
 * (`/link?node=<id>`), as the Calls plugin reaches rtcd. It owns the calls' state and the media
 * sessions; app nodes translate between it and their clients' Mattermost WebSockets.
 */
export class RtcdServer {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  private readonly links = new Map<number, { ws: WebSocket; node: string }>();
  private nextLinkId = 1;
  readonly calls: CallRegistry;

  constructor(
    private readonly config: RtcdConfig,
    private readonly log: Logger,
  ) {
    this.calls = new CallRegistry({
      iceAddress: config.iceAddress,
      peerConfig: { iceServers: config.iceServers, bundlePolicy: 'max-bundle' },
      reconnectWindowMs: config.reconnectWindowMs,
      signal: (session, data) => this.signal(session, data),
      closed: (session, outcome, reason) => this.push(session, { op: 'closed', outcome, reason }),
      log: (msg, fields) => log.info(msg, fields),
    });
    this.http = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/version') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ version: 'double', build: 'mmdrill' }));
      } else if (req.method === 'GET' && path === '/stats') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            calls: this.calls.callCount,
            sessions: this.calls.sessionCount,
            links: [...this.links.values()].map((l) => l.node),
          }),
        );
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":"not found"}');
      }
    });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://rtcd.invalid');
      if (url.pathname !== '/link') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url.searchParams.get('node') ?? '?'));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.config.listenPort, this.config.listenHost, () => resolve());
    });
    this.log.info('rtcd double started', { listen: `${this.config.listenHost}:${this.port}` });
  }

  get port(): number {
    const addr = this.http.address();
    return typeof addr === 'object' && addr ? addr.port : this.config.listenPort;
  }

  async stop(): Promise<void> {
    this.calls.closeAll();
    for (const { ws } of this.links.values()) ws.close(1001, 'rtcd stopping');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private accept(ws: WebSocket, node: string): void {
    const linkId = this.nextLinkId++;
    this.links.set(linkId, { ws, node });
    this.log.info('app node linked', { node });
    ws.on('message', (raw: RawData) => this.handle(linkId, ws, raw));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.links.delete(linkId);
      this.calls.linkLost(linkId);
      this.log.info('app node link closed', { node });
    });
  }

  private handle(linkId: number, ws: WebSocket, raw: RawData): void {
    let req: LinkRequest;
    try {
      req = JSON.parse(raw.toString()) as LinkRequest;
    } catch {
      return;
    }
    let reply: LinkMessage;
    try {
      reply = { op: 'reply', id: req.id, ok: true, result: this.apply(linkId, req) ?? null };
    } catch (err) {
      if (!(err instanceof CallsError)) this.log.error('link request failed', err, { op: req.op });
      reply = { op: 'reply', id: req.id, ok: false, error: (err as Error).message };
    }
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(reply));
  }

  private apply(linkId: number, req: LinkRequest): unknown {
    const calls = this.calls;
    switch (req.op) {
      case 'join':
        return calls.join(req.connID, req.userID, req.channelID, req.threadID, linkId);
      case 'reconnect':
        return calls.reconnect(req.connID, req.userID, req.channelID, req.originalConnID, linkId);
      case 'leave':
        return calls.leave(req.connID);
      case 'sdp':
        calls.bySession(req.connID).handleSdp(parseJson<SessionDescriptionInit>(req.data, 'sdp'));
        return null;
      case 'ice':
        calls.bySession(req.connID).handleCandidate(parseJson<IceCandidateInit>(req.data, 'ice'));
        return null;
      case 'user_state':
        return calls.userState(req.connID, req.change, req.data);
      case 'ws_closed':
        calls.wsClosed(req.connID);
        return null;
      case 'resume':
        calls.resume(req.connIDs, linkId);
        return null;
      case 'get_call':
        return calls.call(req.channelID);
      case 'get_calls':
        return calls.allCalls();
    }
  }

  private signal(session: RtcSession, data: string): void {
    this.push(session, { op: 'signal', connID: session.connID, sessionID: session.sessionID, data });
  }

  /** To the app node that carries the session's connection, or any node if that link is gone. */
  private push(session: RtcSession, msg: LinkMessage): void {
    const link = this.links.get(session.linkId) ?? this.links.values().next().value;
    if (link?.ws.readyState === WebSocket.OPEN) link.ws.send(JSON.stringify(msg));
  }
}

function parseJson<T>(data: string, what: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new CallsError(`invalid ${what} data`);
  }
}
