import pg from 'pg';
import type { DoubleMetrics } from '../metrics.js';

// bigint columns (times in ms, counters) fit in a double; return them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number(v));

export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface DatabaseOptions {
  primaryUrl: string;
  replicaUrl?: string;
  /** Client-side query timeout, like Mattermost's SqlSettings.QueryTimeout. */
  queryTimeoutMs: number;
  maxConnections: number;
}

// Errors that mean "the database is not there", as opposed to "the query is wrong".
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
  '08003',
  '08000',
]);

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code;
  if (code && CONNECTION_ERROR_CODES.has(code)) return true;
  return /Connection terminated|connection timeout|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    err.message,
  );
}

const REPLICA_RETRY_MS = 5_000;

/**
 * Primary and optional read replica. Pools reconnect by themselves: a dead connection is
 * discarded on error and a new one is opened on the next query, so the double recovers when
 * PostgreSQL comes back without being restarted.
 */
export class Database {
  readonly primary: pg.Pool;
  readonly replica: pg.Pool | null;
  private replicaSkippedUntil = 0;

  constructor(
    options: DatabaseOptions,
    private readonly metrics: DoubleMetrics,
    private readonly log: (msg: string) => void,
  ) {
    this.primary = this.pool(options.primaryUrl, options, 'primary');
    this.replica = options.replicaUrl ? this.pool(options.replicaUrl, options, 'replica') : null;
  }

  private pool(url: string, options: DatabaseOptions, role: string): pg.Pool {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections,
      connectionTimeoutMillis: 5_000,
      query_timeout: options.queryTimeoutMs,
      idleTimeoutMillis: 30_000,
      application_name: `mm-double-${role}`,
    });
    // An idle client losing its server must not crash the process.
    pool.on('error', (err) => this.log(`${role} pool: idle client error: ${err.message}`));
    return pool;
  }

  /** One statement on the primary, timed as `mattermost_db_store_time{method}`. */
  async write<R extends pg.QueryResultRow>(
    method: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.timed(method, () => this.primary.query<R>(sql, params));
  }

  /**
   * A read that may go to the replica. An unreachable replica is skipped for a while (as
   * Mattermost's replica health check takes a dead replica out of rotation) and the read goes to
   * the primary instead.
   */
  async read<R extends pg.QueryResultRow>(
    method: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const replica = this.replica;
    if (!replica || Date.now() < this.replicaSkippedUntil) return this.write<R>(method, sql, params);
    return this.timed(method, async () => {
      try {
        return await replica.query<R>(sql, params);
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        this.replicaSkippedUntil = Date.now() + REPLICA_RETRY_MS;
        this.log(
          `replica unreachable; reading from the primary for ${REPLICA_RETRY_MS / 1000} s: ${(err as Error).message}`,
        );
        return this.primary.query<R>(sql, params);
      }
    });
  }

  /**
   * A lookup of something that must exist (a team, channel, membership, post): from the replica
   * like any read, but asked again on the primary when the replica has no row — the row may
   * have been written a moment ago and not have reached the replica yet.
   */
  async readFresh<R extends pg.QueryResultRow>(
    method: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    const result = await this.read<R>(method, sql, params);
    if (result.rowCount !== 0 || !this.replica) return result;
    return this.write<R>(`${method}FromMaster`, sql, params);
  }

  /** Runs `fn` in a transaction on the primary; the result is returned only after COMMIT succeeded. */
  async tx<T>(method: string, fn: (client: Queryable) => Promise<T>): Promise<T> {
    return this.timed(method, async () => {
      const client = await this.primary.connect();
      let broken = false;
      // The pool listens for errors of idle clients only: a checked-out one whose server goes
      // away between two queries (the primary killed mid-transaction) would crash the node.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        broken = isConnectionError(err);
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken ? true : undefined);
      }
    });
  }

  async healthy(pool: pg.Pool = this.primary): Promise<boolean> {
    try {
      await pool.query({ text: 'SELECT 1', query_timeout: 2_000 } as pg.QueryConfig);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.primary.end(), this.replica?.end()]);
  }

  private async timed<T>(method: string, fn: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      return await fn();
    } finally {
      this.metrics.observeDb(method, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
