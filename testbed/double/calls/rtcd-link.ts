import { type RawData, WebSocket } from 'ws';
import type { LinkMessage, LinkRequest } from '../../rtcd/link-protocol.js';
import type { Logger } from '../log.js';

type Request = LinkRequest extends infer R ? (R extends LinkRequest ? Omit<R, 'id'> : never) : never;

const REQUEST_TIMEOUT_MS = 5_000;
const RETRY_MS = 500;

/** A refusal from the rtcd double (becomes a Calls `error` event) or a lost link. */
export class RtcdError extends Error {}

/**
 * This app node's link to the rtcd double: one WebSocket, reopened whenever it drops, with
 * request/reply correlation and a handler for what the rtcd double pushes (signaling, teardowns).
 */
export class RtcdLink {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly url: string,
    private readonly nodeId: string,
    private readonly onPush: (msg: Exclude<LinkMessage, { op: 'reply' }>) => void,
    private readonly onUp: () => void,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.connect();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  request<T>(req: Request): Promise<T> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new RtcdError('rtcd is not reachable'));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RtcdError('rtcd request timed out'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ ...req, id }));
    });
  }

  /** Fire-and-forget (signaling): a failure is logged, not raised. */
  send(req: Request): void {
    this.request(req).catch((err: Error) => {
      if (!(err instanceof RtcdError))
        this.log.warn('rtcd request failed', { op: req.op, error: err.message });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.failPending('rtcd link closed');
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1001, 'node stopping');
      setTimeout(resolve, 1_000).unref();
    });
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(
      `${this.url.replace(/^http/, 'ws').replace(/\/$/, '')}/link?node=${encodeURIComponent(this.nodeId)}`,
    );
    this.ws = ws;
    ws.on('open', () => {
      this.log.info('rtcd link up', { rtcd: this.url });
      this.onUp();
    });
    ws.on('message', (raw: RawData) => this.receive(raw));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      this.failPending('rtcd link lost');
      if (this.closed) return;
      this.retryTimer = setTimeout(() => this.connect(), RETRY_MS);
      this.retryTimer.unref();
    });
  }

  private receive(raw: RawData): void {
    let msg: LinkMessage;
    try {
      msg = JSON.parse(raw.toString()) as LinkMessage;
    } catch {
      return;
    }
    if (msg.op !== 'reply') {
      this.onPush(msg);
      return;
    }
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    clearTimeout(waiter.timer);
    if (msg.ok) waiter.resolve(msg.result);
    else waiter.reject(new RtcdError(msg.error));
  }

  private failPending(reason: string): void {
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new RtcdError(reason));
      this.pending.delete(id);
    }
  }
}
