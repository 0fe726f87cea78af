import pg from 'pg';
import type { DoubleMetrics } from '../metrics.js';

// bigint columns (times in ms, counters) fit in a double; return them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number(v));

export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface DatabaseOptions {
  primaryUrl: string;
  replicaUrl?: string;
  /**
   * Mattermost's SqlSettings.QueryTimeout. Enforced by PostgreSQL (statement_timeout): Go's
   * driver cancels a statement whose context ends, so a timed-out query stops running there too.
   */
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
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    err.message,
  );
}

const QUERY_CANCELED = '57014';

/** node-postgres' own query_timeout fired: the statement may still be running on that connection. */
function isClientTimeout(err: unknown): boolean {
  return err instanceof Error && /Query read timeout/i.test(err.message);
}

// Errors that say "no answer in time": the server may be gone, or only busy. A busy replica
// must stay in rotation (a slow search is not a dead replica), so these are settled by a probe.
function isTimeoutError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if ((err as { code?: string }).code === QUERY_CANCELED) return true;
  return isClientTimeout(err) || /timeout exceeded when trying to connect/i.test(err.message);
}

// The client-side timeout is only a backstop for a server that stops answering altogether.
const CLIENT_TIMEOUT_BACKSTOP_MS = 5_000;
const REPLICA_RETRY_MS = 5_000;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Primary and optional read replica. Pools reconnect by themselves: a dead connection is
 * discarded on error and a new one is opened on the next query, so the double recovers when
 * PostgreSQL comes back without being restarted.
 */
export class Database {
  readonly primary: pg.Pool;
  readonly replica: pg.Pool | null;
  private replicaSkippedUntil = 0;
  private replicaProbe: Promise<boolean> | null = null;

  constructor(
    private readonly options: DatabaseOptions,
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
      statement_timeout: options.queryTimeoutMs,
      query_timeout: options.queryTimeoutMs + CLIENT_TIMEOUT_BACKSTOP_MS,
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
   * the primary instead. A read that timed out on a replica which still answers a probe fails as
   * it would on the primary: moving slow reads to the primary would only overload it too.
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
        const unreachable = isConnectionError(err) || (isTimeoutError(err) && !(await this.replicaAnswers()));
        if (!unreachable) throw err;
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
        // After a client-side timeout the connection is still busy with the statement.
        broken = isConnectionError(err) || isClientTimeout(err);
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

  /**
   * Whether the replica answers `SELECT 1` on a fresh connection (its pool may be full of slow
   * reads). One probe at a time, shared by every read that timed out meanwhile.
   */
  private replicaAnswers(): Promise<boolean> {
    const url = this.options.replicaUrl;
    if (!url) return Promise.resolve(false);
    this.replicaProbe ??= (async () => {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: PROBE_TIMEOUT_MS,
        query_timeout: PROBE_TIMEOUT_MS,
        application_name: 'mm-double-replica-probe',
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
        this.replicaProbe = null;
      }
    })();
    return this.replicaProbe;
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
