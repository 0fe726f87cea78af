import { performance } from 'node:perf_hooks';
import type { WebSocketMessage } from '@mattermost/client/lib/websocket_message.js';
import { WebSocket } from 'ws';
import { type Counter, type Gauge, METRIC, type Metrics, type Trend } from '../metrics/api.js';
import { newWebSocketClient, type WebSocketClient, websocketUrl } from './official-client.js';

// One simulated user's WebSocket: the official WebSocketClient (seq checking, reconnect with
// connection_id/sequence_number, backoff, app-level pings) plus what the harness measures about
// it: connects, reconnects (resumed or new hello), reconnect time, seq gaps, events, and whether
// the user is online right now (delivery tracking needs that).

/** The web app's reconnect timing (3 s + up to 2 s jitter); scenarios may shorten it. */
export const WEB_APP_RETRY_MS = 3_000;
export const WEB_APP_JITTER_MS = 2_000;
/** The official client closes with this code when an event arrives out of sequence. */
const SEQUENCE_MISMATCH = '4001';

/** How an event reached the client: as it happened, or replayed on a resumed connection. */
export type Arrival = 'live' | 'replay';

export interface WsSessionOptions {
  /** The Mattermost base URL (http[s]://host[:port]). */
  baseUrl: string;
  token: string;
  metrics: Metrics;
  /** Shared by every session of a run: feeds the `mm_ws_sessions` gauge. */
  openSockets?: OpenSocketCount;
  minRetryMs?: number;
  jitterMs?: number;
  /** The client's app-level ping interval (web app: 30 s). */
  pingIntervalMs?: number;
  /** How long `open()` waits for the first hello. Default 15 s. */
  connectTimeoutMs?: number;
}

export interface WsSessionHandlers {
  /** Every server event, in sequence (the client drops and reconnects on a gap). */
  onEvent?(msg: WebSocketMessage, arrival: Arrival): void;
  /**
   * The user became online (hello or resume confirmed) or offline (socket lost). `resumed`: the
   * server kept the connection (same connection id, events replayed), so it never stopped
   * receiving this user's events.
   */
  onOnline?(online: boolean, resumed: boolean): void;
  /**
   * A new hello after an earlier connection: events may have been lost, refetch what arrived
   * since `since` (ms since the epoch, local clock).
   */
  onNewHello?(since: number): void;
}

/** How many sockets of the run are open: one gauge for all sessions. */
export class OpenSocketCount {
  private count = 0;
  private readonly gauge: Gauge;
  constructor(metrics: Metrics) {
    this.gauge = metrics.gauge(METRIC.wsSessions);
    this.gauge.set(0);
  }
  change(delta: number): void {
    this.count += delta;
    this.gauge.set(this.count);
  }
  get value(): number {
    return this.count;
  }
}

type Phase = 'idle' | 'connecting' | 'resuming' | 'open' | 'down' | 'closed';

/** Events that arrived before a loss may still be in flight: refetch a little before the last. */
const REFETCH_MARGIN_MS = 10_000;
const POST_CREATE_AT = /"create_at":(\d+)/;

export class WsSession {
  private readonly client: WebSocketClient;
  private readonly connects: Counter;
  private readonly reconnects: Counter;
  private readonly reconnectTime: Trend;
  private readonly gaps: Counter;
  private readonly events: Counter;
  private readonly openSockets: OpenSocketCount;
  private readonly eventTags = new Map<string, { event: string }>();
  private socket: WebSocket | null = null;
  private phase: Phase = 'idle';
  private helloSeen = false;
  private socketHello = false;
  private lostAt = 0;
  private lastEventAt = 0;
  private lastPostCreatedAt = 0;
  private disruptedAt = 0;
  private connection = '';
  private firstHello: { resolve: () => void; reject: (err: Error) => void } | null = null;

  constructor(
    private readonly options: WsSessionOptions,
    private readonly handlers: WsSessionHandlers = {},
  ) {
    const m = options.metrics;
    this.connects = m.counter(METRIC.wsConnects);
    this.reconnects = m.counter(METRIC.wsReconnects);
    this.reconnectTime = m.trend(METRIC.wsReconnectTime);
    this.gaps = m.counter(METRIC.wsGaps);
    this.events = m.counter(METRIC.wsEvents);
    this.openSockets = options.openSockets ?? new OpenSocketCount(m);
    this.client = newWebSocketClient({
      minWebSocketRetryTime: options.minRetryMs ?? WEB_APP_RETRY_MS,
      reconnectJitterRange: options.jitterMs ?? WEB_APP_JITTER_MS,
      ...(options.pingIntervalMs !== undefined && { clientPingInterval: options.pingIntervalMs }),
      newWebSocketFn: (url: string) => this.newSocket(url),
    });
    this.client.addMessageListener((msg) => this.onMessage(msg));
    this.client.addCloseListener(() => this.onClose());
    // The client keeps the connection id (and so can resume) only while a missed-message
    // listener is registered, as the web app's always is; the refetch itself hangs off the hello.
    this.client.addMissedMessageListener(() => undefined);
  }

  /** Connects and resolves at the first hello; rejects on timeout or abort (and stops retrying). */
  open(signal?: AbortSignal): Promise<void> {
    if (this.phase !== 'idle') throw new Error('WsSession.open called twice');
    this.phase = 'connecting';
    const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => {
        cleanup();
        this.close();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error(`no WebSocket hello within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = () => fail(new Error('aborted while connecting the WebSocket'));
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.firstHello = null;
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.firstHello = {
        resolve: () => {
          cleanup();
          resolve();
        },
        reject: fail,
      };
      this.client.initialize(websocketUrl(this.options.baseUrl), this.options.token);
    });
  }

  /** Open and authenticated right now. */
  get online(): boolean {
    return this.phase === 'open';
  }

  get connectionId(): string {
    return this.connection;
  }

  /** When (ms since the epoch) the last new hello after an earlier connection arrived (0: never). */
  get lastDisruptionAt(): number {
    return this.disruptedAt;
  }

  /** Drops the TCP connection as a network failure would; the client reconnects by itself. */
  cut(): void {
    this.socket?.terminate();
  }

  /** `user_typing` in a channel (or a thread). */
  typing(channelId: string, parentId = ''): void {
    this.client.userTyping(channelId, parentId);
  }

  /** Sends an action and resolves with the reply (rejects after `timeoutMs` or when offline). */
  request(action: string, data: unknown, timeoutMs = 5_000): Promise<{ status: string; data?: unknown }> {
    if (!this.online) return Promise.reject(new Error(`WebSocket offline: cannot send ${action}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no reply to ${action} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.client.sendMessage(action, data, (reply: { status: string; data?: unknown }) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  }

  /** Closes for good: no reconnect, no more callbacks. */
  close(): void {
    if (this.phase === 'closed') return;
    const wasOpen = this.phase === 'open';
    this.phase = 'closed';
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      // The client only closes an OPEN socket; a connecting one must not call back into it.
      socket.onopen = null;
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.on('error', () => undefined);
      socket.terminate();
    }
    this.client.close();
    if (wasOpen) {
      this.openSockets.change(-1);
      this.handlers.onOnline?.(false, false);
    }
    this.firstHello?.reject(new Error('WebSocket session closed'));
  }

  private newSocket(url: string): globalThis.WebSocket {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket = socket;
    this.socketHello = false;
    if (this.phase === 'down') this.phase = 'resuming';
    // After the client's own onopen (which sends the authentication challenge), a ping: its reply
    // comes after the server attached the connection, so a reply without a hello = resumed.
    socket.on('open', () => queueMicrotask(() => this.probe(socket)));
    socket.on('error', () => undefined);
    return socket as unknown as globalThis.WebSocket;
  }

  private probe(socket: WebSocket): void {
    if (socket !== this.socket || this.phase === 'closed') return;
    this.client.sendMessage('ping', null, () => {
      if (socket !== this.socket || this.phase !== 'resuming' || this.socketHello) return;
      this.connects.add(1, { result: 'resumed' });
      this.reconnects.add(1, { kind: 'resumed' });
      this.becomeOnline(true);
    });
  }

  private onMessage(msg: WebSocketMessage): void {
    if (this.phase === 'closed') return;
    const now = Date.now();
    const event = msg.event as string;
    let tags = this.eventTags.get(event);
    if (!tags) {
      tags = { event };
      this.eventTags.set(event, tags);
    }
    this.events.add(1, tags);
    if (event === 'hello') {
      this.onHello(msg);
      return;
    }
    this.lastEventAt = now;
    if (event === 'posted') {
      // The newest post received, by the server's clock: on a slow link events arrive long after
      // the post was made, and a refetch must start before the first post not yet received.
      const createdAt = POST_CREATE_AT.exec(String((msg.data as { post?: unknown }).post ?? ''));
      if (createdAt) this.lastPostCreatedAt = Number(createdAt[1]);
    }
    this.handlers.onEvent?.(msg, this.phase === 'resuming' ? 'replay' : 'live');
  }

  private onHello(msg: WebSocketMessage): void {
    this.socketHello = true;
    const id = String((msg.data as { connection_id?: string }).connection_id ?? '');
    const reconnected = this.helloSeen;
    const previous = this.connection;
    this.connection = id;
    this.connects.add(1, { result: 'hello' });
    if (!reconnected) {
      this.helloSeen = true;
      this.lastEventAt = Date.now();
      this.becomeOnline(false);
      this.firstHello?.resolve();
      return;
    }
    this.reconnects.add(1, { kind: 'new_hello' });
    const since =
      Math.min(this.lastEventAt, this.lastPostCreatedAt || Number.POSITIVE_INFINITY) - REFETCH_MARGIN_MS;
    this.disruptedAt = Date.now();
    this.lastEventAt = this.disruptedAt;
    this.becomeOnline(previous === id);
    if (previous !== id) this.handlers.onNewHello?.(since);
  }

  private becomeOnline(resumed: boolean): void {
    if (this.phase === 'open' || this.phase === 'closed') return;
    if (this.lostAt > 0) this.reconnectTime.add(performance.now() - this.lostAt);
    this.lostAt = 0;
    this.phase = 'open';
    this.openSockets.change(1);
    this.handlers.onOnline?.(true, resumed);
  }

  private onClose(): void {
    if (this.phase === 'closed') return;
    // The client records why it closed in a private field; 4001 = it saw a seq gap.
    const code = (this.client as unknown as { lastErrCode: string | null }).lastErrCode;
    if (code === SEQUENCE_MISMATCH) this.gaps.add(1);
    if (this.phase === 'open') {
      this.lostAt = performance.now();
      this.phase = 'down';
      this.openSockets.change(-1);
      this.handlers.onOnline?.(false, false);
      return;
    }
    // A connection attempt that never got to a hello or resume.
    this.connects.add(1, { result: 'failed' });
    if (this.phase === 'resuming') this.phase = 'down';
  }
}
