import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { decode as decodeMsgpack } from '@msgpack/msgpack';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../http/errors.js';
import { tokenFrom } from '../http/router.js';
import { newId } from '../model/ids.js';
import type { Session, WsEvent } from '../model/types.js';
import type { Services } from '../services.js';
import { getStatuses, setStatus } from '../store/statuses.js';
import { ACTIONS } from './actions.js';
import { broadcastTo } from './broadcast.js';
import { frameHead, WebConnection } from './connection.js';
import { MembershipIndex } from './membership.js';

// Mattermost drops a connection that has sent nothing (not even a pong) for this long.
const PONG_WAIT_MS = 100_000;
const SWEEP_INTERVAL_MS = 5_000;

interface ClientMessage {
  seq: number;
  action: string;
  data: Record<string, unknown>;
}

/**
 * This node's WebSocket hub: authenticates sockets, resumes connections from their replay
 * buffer, and fans events out to the connections that should see them. The replay buffers live
 * here, per node, as in Mattermost: a client that lands on another node gets a new hello.
 */
export class WebSocketHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1 << 20,
    perMessageDeflate: false,
  });
  private readonly connections = new Map<string, WebConnection>();
  private readonly index = new MembershipIndex();
  private readonly lastSeen = new WeakMap<WebSocket, number>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly services: Services) {
    this.timers.push(setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref());
    this.timers.push(setInterval(() => this.pingAll(), services.config.websocket.pingIntervalMs).unref());
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  /** Local delivery of one event (from this node or from the cluster bus). */
  deliver(event: WsEvent): void {
    this.index.applyBefore(event);
    const targets = this.index.targets(event, this.connections);
    if (targets.length > 0) {
      const head = frameHead(event);
      for (const conn of targets) {
        if (!conn.wants(event)) continue;
        conn.send(head);
        this.services.metrics.wsEventSent(event.event);
      }
    }
    this.index.applyAfter(event);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const { metrics, config, sessions, log } = this.services;
    metrics.websockets.inc();
    this.lastSeen.set(ws, Date.now());
    const url = new URL(req.url ?? '/', 'http://double.invalid');
    const resumeId = url.searchParams.get('connection_id') ?? '';
    const resumeSeq = Number.parseInt(url.searchParams.get('sequence_number') ?? '0', 10) || 0;
    let conn: WebConnection | null = null;
    // Messages are handled one after another so that an authentication challenge completes
    // before the ping the official client sends right behind it.
    let queue: Promise<void> = Promise.resolve();

    const authTimer = setTimeout(() => {
      if (!conn) ws.close(1008, 'authentication timeout');
    }, config.websocket.authTimeoutMs);

    // Mattermost registers the connection with its hub (which queues hello) before it queues the
    // challenge's OK reply, so hello is the first frame on the wire either way
    // (server/channels/app/platform/websocket_router.go ServeWebSocket, web_hub.go register).
    const authenticate = async (session: Session, replySeq?: number): Promise<void> => {
      clearTimeout(authTimer);
      conn = await this.attach(ws, session, resumeId, resumeSeq);
      if (replySeq !== undefined) this.reply(ws, { status: 'OK', seq_reply: replySeq });
    };

    const headerToken = tokenFrom(req);
    if (headerToken) {
      queue = sessions.fromToken(headerToken).then(
        (session) => authenticate(session),
        () => undefined, // a bad header token leaves the socket waiting for a challenge, as in Mattermost
      );
    }

    ws.on('message', (raw: RawData, isBinary: boolean) => {
      this.lastSeen.set(ws, Date.now());
      queue = queue
        .then(async () => {
          const msg = parseMessage(raw, isBinary);
          if (!msg) return;
          if (conn && msg.action === 'authentication_challenge') return; // already authenticated: ignored, no reply
          if (!conn) {
            // Mattermost sends this refusal through the hub, where the socket is not registered
            // yet, so it never reaches the client: no reply.
            if (msg.action !== 'authentication_challenge') return;
            const token = typeof msg.data.token === 'string' ? msg.data.token : '';
            try {
              await authenticate(await sessions.fromToken(token), msg.seq);
            } catch (err) {
              const status = err instanceof AppError ? err.statusCode : 500;
              this.fail(
                ws,
                msg.seq,
                new AppError(
                  'api.web_socket_router.not_authenticated.app_error',
                  'Not authenticated',
                  status,
                ),
              );
              ws.close(1008, 'authentication failed');
            }
            return;
          }
          await this.dispatch(ws, conn, msg);
        })
        .catch((err: unknown) => log.error('websocket message failed', err));
    });
    ws.on('pong', () => this.lastSeen.set(ws, Date.now()));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(authTimer);
      metrics.websockets.dec();
      if (conn) this.detach(conn, ws);
    });
  }

  /** Resume `resumeId` from `resumeSeq` if this node can; otherwise a new connection and hello. */
  private async attach(
    ws: WebSocket,
    session: Session,
    resumeId: string,
    resumeSeq: number,
  ): Promise<WebConnection> {
    const { metrics } = this.services;
    const previous = resumeId ? this.connections.get(resumeId) : undefined;
    if (previous && previous.userId === session.user_id) {
      const frames = previous.replayFrom(resumeSeq);
      if (frames) {
        const zombie = previous.socket;
        previous.socket = ws;
        previous.deadSince = 0;
        if (zombie && zombie !== ws) zombie.terminate();
        for (const frame of frames) previous.write(frame);
        metrics.wsReconnect(frames.length > 0 ? 'replay' : 'no_replay');
        return previous;
      }
      this.remove(previous);
    }
    if (resumeId) metrics.wsReconnect('new_connection');
    const conn = new WebConnection(
      newId(),
      session.user_id,
      session.token,
      this.services.config.websocket.replayBufferSize,
    );
    await this.loadMemberships(conn);
    conn.socket = ws;
    this.connections.set(conn.id, conn);
    this.index.add(conn);
    conn.send(
      frameHead({
        event: 'hello',
        data: {
          connection_id: conn.id,
          server_version: this.services.config.versionId,
          server_hostname: this.services.config.nodeId,
        },
        broadcast: broadcastTo({ user_id: conn.userId }),
      }),
    );
    this.services.metrics.wsEventSent('hello');
    void this.updateStatus(conn.userId, 'online');
    return conn;
  }

  private detach(conn: WebConnection, ws: WebSocket): void {
    if (conn.socket !== ws) return;
    conn.socket = null;
    conn.deadSince = Date.now();
    this.services.calls?.connectionClosed(conn.id);
    const stillOnline = [...this.index.connectionsOf(conn.userId)].some((c) => c.active);
    if (!stillOnline) void this.updateStatus(conn.userId, 'offline');
  }

  private remove(conn: WebConnection): void {
    conn.socket?.terminate();
    this.connections.delete(conn.id);
    this.index.remove(conn);
  }

  private async loadMemberships(conn: WebConnection): Promise<void> {
    const { db } = this.services;
    const [channels, teams] = await Promise.all([
      db.write<{ channel_id: string }>(
        'ChannelStore.GetAllChannelMembersForUser',
        'SELECT channel_id FROM channel_members WHERE user_id = $1',
        [conn.userId],
      ),
      db.write<{ team_id: string }>(
        'TeamStore.GetTeamsForUser',
        'SELECT team_id FROM team_members WHERE user_id = $1 AND delete_at = 0',
        [conn.userId],
      ),
    ]);
    for (const r of channels.rows) conn.channels.add(r.channel_id);
    for (const r of teams.rows) conn.teams.add(r.team_id);
  }

  private async dispatch(ws: WebSocket, conn: WebConnection, msg: ClientMessage): Promise<void> {
    // Plugin actions go to the plugins only and get no reply (Mattermost's web_conn readPump);
    // an action for a plugin that is not running is dropped.
    if (msg.action.startsWith('custom_')) {
      const calls = this.services.calls;
      if (calls?.handles(msg.action)) {
        calls
          .handleAction(conn, msg.action, msg.data)
          .catch((err: unknown) =>
            this.services.log.error('calls action failed', err, { action: msg.action }),
          );
      }
      return;
    }
    const handler = ACTIONS.get(msg.action);
    if (!handler) {
      this.fail(
        ws,
        msg.seq,
        new AppError(
          'api.web_socket_router.bad_action.app_error',
          'Unknown WebSocket action.',
          400,
          msg.action,
        ),
      );
      return;
    }
    try {
      const data = await handler({ conn, services: this.services, data: msg.data });
      this.reply(
        ws,
        data === undefined
          ? { status: 'OK', seq_reply: msg.seq }
          : { status: 'OK', seq_reply: msg.seq, data },
      );
    } catch (err) {
      const appErr =
        err instanceof AppError
          ? err
          : new AppError('api.web_socket_handler.app_error', 'Internal error', 500, String(err));
      this.fail(ws, msg.seq, appErr);
    }
  }

  private reply(ws: WebSocket, body: Record<string, unknown>): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(body));
  }

  private fail(ws: WebSocket, seq: number, err: AppError): void {
    this.reply(ws, { status: 'FAIL', seq_reply: seq, error: err.toBody('') });
  }

  private async updateStatus(userId: string, status: 'online' | 'offline'): Promise<void> {
    try {
      const [current] = await getStatuses(this.services.db, [userId]);
      if (current?.manual || current?.status === status) return;
      await setStatus(this.services, userId, status, false);
    } catch (err) {
      this.services.log.warn('status update failed', { error: (err as Error).message });
    }
  }

  /** Forget connections whose resume window has passed. */
  private sweep(): void {
    const cutoff = Date.now() - this.services.config.websocket.deadConnectionTtlMs;
    for (const conn of this.connections.values()) {
      if (!conn.socket && conn.deadSince > 0 && conn.deadSince < cutoff) this.remove(conn);
    }
  }

  /** Protocol pings; a socket silent for longer than the pong wait is dropped. */
  private pingAll(): void {
    const now = Date.now();
    for (const ws of this.wss.clients) {
      if (now - (this.lastSeen.get(ws) ?? now) > PONG_WAIT_MS) ws.terminate();
      else if (ws.readyState === WebSocket.OPEN) ws.ping();
    }
  }
}

// Text frames are JSON, binary frames msgpack (Calls sends its SDP that way), as in Mattermost.
function parseMessage(raw: RawData, isBinary: boolean): ClientMessage | null {
  let value: unknown;
  try {
    value = isBinary ? decodeMsgpack(rawBytes(raw)) : JSON.parse(raw.toString());
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const { seq, action, data } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || seq <= 0 || typeof action !== 'string') return null;
  return { seq, action, data: data && typeof data === 'object' ? (data as Record<string, unknown>) : {} };
}

function rawBytes(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
}
