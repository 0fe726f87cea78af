import pg from 'pg';
import type { Logger } from '../log.js';
import type { DoubleMetrics } from '../metrics.js';
import type { WsEvent } from '../model/types.js';

const CHANNEL = 'mm_cluster';
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 2_000;
// An event that cannot be written for this long (the database is gone) is dropped: its
// receivers have reconnected with a new hello by then and refetch what they missed.
const SEND_GIVE_UP_MS = 60_000;
const SEND_BATCH = 200;
// Reading is woken by NOTIFY; the poll is the safety net for a notification lost with a connection.
const POLL_MS = 1_000;
// Ids are taken at INSERT and become visible at COMMIT, so two nodes' rows can appear out of id
// order. Each read looks this far behind the highest id seen and skips ids already delivered.
const LOOKBACK_IDS = 2_048;
const READ_BATCH = 4_096;
const KEEP_MS = 10 * 60_000;

interface Outgoing {
  payload: string;
  at: number;
}

/**
 * Cluster messaging between app nodes through PostgreSQL (Mattermost uses its own gossip; what
 * matters is kept: an event made on one node reaches WebSocket clients on every node, in the
 * order its node sent them). Every event is a row of cluster_messages, and NOTIFY only wakes the
 * readers, so nothing is lost while a node's database link fails over: sends wait in an outbox
 * until the database takes them, and a reader that reconnects catches up from the last row it
 * delivered — as Mattermost retries its `posted` cluster messages.
 */
export class ClusterBus {
  private readonly sender: pg.Pool;
  private listener: pg.Client | null = null;
  private onEvent: (event: WsEvent) => void = () => undefined;
  private closed = false;
  private readonly outbox: Outgoing[] = [];
  private sending = false;
  private sendDelay = RETRY_MIN_MS;
  private reconnectDelay = RETRY_MIN_MS;
  /** Rows up to this id were written before this node started: never delivered. */
  private startedAfter = 0;
  /** Highest id delivered (or skipped as this node's own). */
  private highest = 0;
  private readonly seen = new Set<number>();
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly url: string,
    private readonly nodeId: string,
    private readonly metrics: DoubleMetrics,
    private readonly log: Logger,
  ) {
    // One connection: one node's events are written, and so read by the others, in order.
    this.sender = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: 5_000,
      application_name: `mm-double-cluster-send-${nodeId}`,
    });
    this.sender.on('error', (err) => this.log.warn('cluster sender connection lost', { error: err.message }));
  }

  /** Starts after the events already in the table: a node that joins does not replay history. */
  async start(onEvent: (event: WsEvent) => void): Promise<void> {
    this.onEvent = onEvent;
    const { rows } = await this.sender.query<{ id: string }>(
      'SELECT coalesce(max(id), 0) AS id FROM cluster_messages',
    );
    this.highest = Number(rows[0]!.id);
    this.startedAfter = this.highest;
    await this.connect();
    this.timers.push(
      setInterval(() => this.read(), POLL_MS).unref(),
      setInterval(() => void this.cleanup(), 60_000).unref(),
    );
  }

  /** Queues `event` for the other nodes; it is written as soon as the database takes it. */
  send(event: WsEvent): void {
    if (this.closed) return;
    this.outbox.push({ payload: JSON.stringify(event), at: Date.now() });
    void this.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    // A graceful stop hands over what is queued (briefly: the database may be what is failing).
    const deadline = Date.now() + 2_000;
    while (this.outbox.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.allSettled([this.listener?.end(), this.sender.end()]);
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outbox.length > 0) {
        const batch = this.outbox.slice(0, SEND_BATCH);
        try {
          // The NOTIFY is delivered at COMMIT, with the rows.
          await this.sender.query(
            `WITH m AS (
               INSERT INTO cluster_messages (node, payload, create_at)
               SELECT $2, p, $3 FROM unnest($4::text[]) AS p RETURNING id
             ) SELECT pg_notify($1, max(id)::text) FROM m`,
            [CHANNEL, this.nodeId, Date.now(), batch.map((o) => o.payload)],
          );
          this.outbox.splice(0, batch.length);
          for (let i = 0; i < batch.length; i++) this.metrics.clusterMessage('sent');
          this.sendDelay = RETRY_MIN_MS;
        } catch (err) {
          this.dropExpired((err as Error).message);
          if (this.outbox.length === 0) break;
          await new Promise((r) => setTimeout(r, this.sendDelay));
          this.sendDelay = Math.min(this.sendDelay * 2, RETRY_MAX_MS);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private dropExpired(error: string): void {
    const cutoff = Date.now() - SEND_GIVE_UP_MS;
    let dropped = 0;
    while (this.outbox.length > 0 && this.outbox[0]!.at < cutoff) {
      this.outbox.shift();
      dropped++;
    }
    if (dropped > 0) {
      this.log.warn('cluster events dropped after retrying for a minute', { dropped, error });
      for (let i = 0; i < dropped; i++) this.metrics.clusterMessage('dropped');
    }
  }

  /** Reads the rows after the last one delivered; one read at a time, coalescing wake-ups. */
  private read(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readOnce()
      .catch((err: Error) => this.log.warn('cluster read failed', { error: err.message }))
      .finally(() => {
        this.reading = null;
        if (this.readAgain && !this.closed) {
          this.readAgain = false;
          this.read();
        }
      });
  }

  private async readOnce(): Promise<void> {
    const client = this.listener;
    if (!client || this.closed) return;
    for (;;) {
      // Ids first (cheap), then the payloads of the rows not delivered yet.
      const { rows: ids } = await client.query<{ id: string }>(
        'SELECT id FROM cluster_messages WHERE id > $1 ORDER BY id LIMIT $2',
        [Math.max(this.startedAfter, this.highest - LOOKBACK_IDS), READ_BATCH],
      );
      const unseen = ids.map((r) => Number(r.id)).filter((id) => !this.seen.has(id));
      if (unseen.length === 0) return;
      const { rows } = await client.query<{ id: string; node: string; payload: string }>(
        'SELECT id, node, payload FROM cluster_messages WHERE id = ANY($1::bigint[]) ORDER BY id',
        [unseen],
      );
      for (const row of rows) {
        const id = Number(row.id);
        this.seen.add(id);
        if (id > this.highest) this.highest = id;
        if (row.node !== this.nodeId) this.deliver(row.payload); // its own were delivered locally
      }
      for (const id of this.seen) if (id <= this.highest - LOOKBACK_IDS) this.seen.delete(id);
      if (ids.length < READ_BATCH) return;
    }
  }

  private deliver(payload: string): void {
    try {
      const event = JSON.parse(payload) as WsEvent;
      this.metrics.clusterMessage('received');
      this.onEvent(event);
    } catch (err) {
      this.log.warn('cluster message dropped', { error: (err as Error).message });
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5_000,
      application_name: `mm-double-cluster-listen-${this.nodeId}`,
    });
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL) this.read();
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
      this.reconnectDelay = RETRY_MIN_MS;
      this.read(); // catch up with what was written while this node was not listening
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    }
  }

  private scheduleReconnect(): void {
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RETRY_MAX_MS * 2);
    setTimeout(() => {
      if (this.closed) return;
      this.connect().then(
        () => this.log.info('cluster listener reconnected'),
        () => this.scheduleReconnect(),
      );
    }, delay).unref();
  }

  private async cleanup(): Promise<void> {
    await this.sender
      .query('DELETE FROM cluster_messages WHERE create_at < $1', [Date.now() - KEEP_MS])
      .catch(() => undefined);
  }
}
