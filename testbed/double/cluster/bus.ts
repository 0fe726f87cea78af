import pg from 'pg';
import type { Logger } from '../log.js';
import type { DoubleMetrics } from '../metrics.js';
import type { WsEvent } from '../model/types.js';

const CHANNEL = 'mm_cluster';
// NOTIFY payloads are limited to 8000 bytes; larger events are parked in cluster_messages.
const MAX_INLINE_BYTES = 7_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
const PARKED_TTL_MS = 10 * 60_000;

interface Envelope {
  /** Sending node: a node never re-delivers its own events (it delivered them locally). */
  n: string;
  /** The event, inline… */
  e?: WsEvent;
  /** …or the id of the cluster_messages row that holds it. */
  r?: number;
}

/**
 * Cluster messaging between app nodes through PostgreSQL LISTEN/NOTIFY (Mattermost uses its
 * own gossip; any real inter-process transport keeps the property that matters: an event made
 * on one node reaches WebSocket clients on every node). Sends go through a one-connection pool,
 * so one node's events arrive at the others in the order it sent them.
 */
export class ClusterBus {
  private readonly sender: pg.Pool;
  private listener: pg.Client | null = null;
  private onEvent: (event: WsEvent) => void = () => undefined;
  private closed = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private cleanupTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly nodeId: string,
    private readonly metrics: DoubleMetrics,
    private readonly log: Logger,
  ) {
    this.sender = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: 5_000,
      application_name: `mm-double-cluster-send-${nodeId}`,
    });
    this.sender.on('error', (err) => this.log.warn('cluster sender connection lost', { error: err.message }));
  }

  async start(onEvent: (event: WsEvent) => void): Promise<void> {
    this.onEvent = onEvent;
    await this.connect();
    this.cleanupTimer = setInterval(() => void this.cleanup(), 60_000).unref();
  }

  /** Best effort, like most of Mattermost's cluster events: a send during a DB outage is lost. */
  send(event: WsEvent): void {
    const inline = JSON.stringify({ n: this.nodeId, e: event } satisfies Envelope);
    const task =
      Buffer.byteLength(inline) <= MAX_INLINE_BYTES
        ? this.sender.query('SELECT pg_notify($1, $2)', [CHANNEL, inline])
        : this.sender
            .query<{ id: number }>(
              'INSERT INTO cluster_messages (payload, create_at) VALUES ($1, $2) RETURNING id',
              [JSON.stringify(event), Date.now()],
            )
            .then(({ rows }) =>
              this.sender.query('SELECT pg_notify($1, $2)', [
                CHANNEL,
                JSON.stringify({ n: this.nodeId, r: rows[0]!.id } satisfies Envelope),
              ]),
            );
    task.then(
      () => this.metrics.clusterMessage('sent'),
      (err: Error) => this.log.warn('cluster send failed', { event: event.event, error: err.message }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await Promise.allSettled([this.listener?.end(), this.sender.end()]);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5_000,
      application_name: `mm-double-cluster-listen-${this.nodeId}`,
    });
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload) void this.receive(msg.payload);
    });
    const lost = (err?: Error) => {
      if (this.listener !== client) return;
      this.listener = null;
      client.removeAllListeners('end');
      void client.end().catch(() => undefined);
      if (!this.closed) {
        this.log.warn('cluster listener lost; reconnecting', { error: err?.message });
        this.scheduleReconnect();
      }
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
      this.reconnectDelay = RECONNECT_MIN_MS;
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    }
  }

  private scheduleReconnect(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    setTimeout(() => {
      if (this.closed) return;
      this.connect().then(
        () => this.log.info('cluster listener reconnected'),
        () => this.scheduleReconnect(),
      );
    }, delay).unref();
  }

  private async receive(payload: string): Promise<void> {
    try {
      const envelope = JSON.parse(payload) as Envelope;
      if (envelope.n === this.nodeId) return;
      let event = envelope.e;
      if (!event && envelope.r !== undefined) {
        const { rows } = await this.sender.query<{ payload: string }>(
          'SELECT payload FROM cluster_messages WHERE id = $1',
          [envelope.r],
        );
        if (rows[0]) event = JSON.parse(rows[0].payload) as WsEvent;
      }
      if (!event) return;
      this.metrics.clusterMessage('received');
      this.onEvent(event);
    } catch (err) {
      this.log.warn('cluster message dropped', { error: (err as Error).message });
    }
  }

  private async cleanup(): Promise<void> {
    await this.sender
      .query('DELETE FROM cluster_messages WHERE create_at < $1', [Date.now() - PARKED_TTL_MS])
      .catch(() => undefined);
  }
}
