import type { SessionDescriptionInit } from '@roamhq/wrtc';
import { type RawData, WebSocket } from 'ws';
import { websocketUrl } from '../official-client.js';
import { type CallsAction, callsEventName, encodeActionFrame, encodeSdpFrame } from './signal-frames.js';

// A Calls participant's own authenticated Mattermost WebSocket, as the Calls web client keeps
// it: app-level pings to notice a dead path quickly, reconnects that resume with
// connection_id/sequence_number, and the Calls events addressed to this connection handed up.

export interface CallsEvent {
  /** Without the plugin prefix: `join`, `signal`, `error`, `user_joined`… */
  name: string;
  data: Record<string, unknown>;
}

export interface SignalingHandlers {
  /** A Calls event for this connection (or broadcast to the channel). */
  onEvent(event: CallsEvent): void;
  /** The socket dropped (not closed by us). */
  onDown(): void;
  /** A new socket is open after a drop; the participant sends `reconnect` now. */
  onReconnected(ids: { originalConnID: string; prevConnID: string }): void;
  /** Reconnecting gave up (longer than `maxDisconnectedMs`). */
  onGaveUp(): void;
}

export interface SignalingOptions {
  baseUrl: string;
  token: string;
  /** App-level ping period; a ping without a reply by the next one counts as a dead socket. */
  pingIntervalMs?: number;
  /** First retry delay; each later one waits `retryIncrementMs` more (the Calls client: 1 s + 0.5 s). */
  minRetryMs?: number;
  retryIncrementMs?: number;
  maxDisconnectedMs?: number;
  connectTimeoutMs?: number;
}

type ServerFrame = { event?: string; seq?: number; seq_reply?: number; data?: Record<string, unknown> };

export class SignalingClient {
  private socket: WebSocket | null = null;
  private seq = 1;
  private serverSeq = 0;
  private connId = '';
  private originalConnId = '';
  private closed = false;
  private pingTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private awaitingPong = 0;
  private downSince = 0;
  private holdUntil = 0;
  private retryMs: number;
  private readonly opts: Required<Omit<SignalingOptions, 'baseUrl' | 'token'>>;

  constructor(
    private readonly options: SignalingOptions,
    private readonly handlers: SignalingHandlers,
  ) {
    this.opts = {
      pingIntervalMs: options.pingIntervalMs ?? 2_000,
      minRetryMs: options.minRetryMs ?? 1_000,
      retryIncrementMs: options.retryIncrementMs ?? 500,
      maxDisconnectedMs: options.maxDisconnectedMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    };
    this.retryMs = this.opts.minRetryMs;
  }

  /** The current connection id (the server's hello), and the first one of this participant. */
  get connectionId(): string {
    return this.connId;
  }
  get originalConnectionId(): string {
    return this.originalConnId;
  }
  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens the socket and waits for the server's hello. */
  async connect(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket?.terminate();
        reject(new Error(`no hello within ${this.opts.connectTimeoutMs} ms`));
      }, this.opts.connectTimeoutMs);
      this.open(false, {
        hello: () => {
          clearTimeout(timer);
          resolve();
        },
        failed: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  send(action: CallsAction, data: Record<string, unknown> = {}): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(encodeActionFrame(action, this.seq++, data));
    return true;
  }

  sendSdp(description: SessionDescriptionInit): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(encodeSdpFrame(this.seq++, description));
    return true;
  }

  /** After a rejoin the session belongs to the current connection: it is the new original. */
  restartSession(): void {
    this.originalConnId = this.connId;
  }

  /**
   * Drops the socket as a network fault would, and keeps the network "down" for `holdMs`
   * (tests: the participant then reconnects, or rejoins when the hold outlasts the server's window).
   */
  dropForTest(holdMs = 0): void {
    this.holdUntil = Date.now() + holdMs;
    this.socket?.terminate();
  }

  close(): void {
    this.closed = true;
    this.stopTimers();
    this.socket?.close(1000);
    this.socket = null;
  }

  private open(reconnect: boolean, first?: { hello(): void; failed(error: Error): void }): void {
    const query = reconnect ? `?connection_id=${this.connId}&sequence_number=${this.serverSeq}` : '';
    const ws = new WebSocket(`${websocketUrl(this.options.baseUrl)}${query}`, {
      headers: { Authorization: `Bearer ${this.options.token}` },
      handshakeTimeout: this.opts.connectTimeoutMs,
    });
    this.socket = ws;
    const prevConnID = this.connId;
    ws.on('open', () => {
      this.seq = 1;
      this.startPings(ws);
      if (reconnect) {
        this.downSince = 0;
        this.retryMs = this.opts.minRetryMs;
        this.handlers.onReconnected({ originalConnID: this.originalConnId, prevConnID });
      }
    });
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      if (isBinary) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(raw.toString()) as ServerFrame;
      } catch {
        return;
      }
      if (frame.seq_reply !== undefined && frame.seq_reply === this.awaitingPong) this.awaitingPong = 0;
      if (typeof frame.seq === 'number') this.serverSeq = frame.seq + 1;
      if (frame.event === 'hello') {
        const id = String(frame.data?.connection_id ?? '');
        if (id !== this.connId) {
          this.connId = id;
          if (this.originalConnId === '') this.originalConnId = id;
        }
        first?.hello();
        return;
      }
      const name = frame.event ? callsEventName(frame.event) : null;
      if (name === null || frame.data === undefined) return;
      // Per-connection events carry connID; only ours (or our original's) are for us.
      const conn = frame.data.connID;
      if (typeof conn === 'string' && conn !== this.connId && conn !== this.originalConnId) return;
      this.handlers.onEvent({ name, data: frame.data });
    });
    ws.on('error', (error: Error) => {
      if (first && !reconnect && this.connId === '') first.failed(error);
    });
    ws.on('close', () => {
      if (this.socket !== ws) return;
      this.stopTimers();
      if (this.closed) return;
      if (this.connId === '' && !reconnect) {
        first?.failed(new Error('socket closed before the hello'));
        return;
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const now = Date.now();
    if (this.downSince === 0) {
      this.downSince = now;
      this.handlers.onDown();
    }
    if (now - this.downSince >= this.opts.maxDisconnectedMs) {
      this.closed = true;
      this.handlers.onGaveUp();
      return;
    }
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        if (!this.closed) this.open(true);
      },
      Math.max(this.retryMs, this.holdUntil - now),
    );
    this.retryMs += this.opts.retryIncrementMs;
  }

  private startPings(ws: WebSocket): void {
    this.stopTimers();
    this.awaitingPong = 0;
    this.pingTimer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (this.awaitingPong !== 0) {
        // The path is dead even though no close arrived (a blackholing proxy): drop it now.
        ws.terminate();
        return;
      }
      this.awaitingPong = this.seq;
      ws.send(JSON.stringify({ action: 'ping', seq: this.seq++ }));
    }, this.opts.pingIntervalMs);
  }

  private stopTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.pingTimer = null;
    this.retryTimer = null;
  }
}
