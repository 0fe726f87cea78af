import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Services } from '../services.js';
import { ArchiveError, archiveLines } from './archive-lines.js';
import { ImportWriter } from './import-writer.js';
import { type ImportData, ImportLineError, type KnownNames, LineValidator } from './line-validation.js';

// Runs import_process jobs in the node's process, one at a time (a queue of job ids). All or
// nothing: the whole file is validated first, streaming, line by line; only a file without a
// bad line is written, in ONE transaction, so a rejected or failed import leaves nothing behind.
// Progress goes to the job row every few seconds (0–50 % validating, 50–100 % writing).

const PROGRESS_EVERY_MS = 2_000;

export class ImportJobRunner {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly s: Services,
    private readonly importDir: string,
  ) {}

  enqueue(jobId: string, importFile: string): void {
    this.queue = this.queue.then(() =>
      this.run(jobId, importFile).catch((err: unknown) =>
        this.s.log.error(`import job ${jobId} could not record its end`, err),
      ),
    );
  }

  private async update(
    jobId: string,
    fields: { status?: string; progress?: number; data?: Record<string, string> },
  ) {
    await this.s.db.write(
      'JobStore.UpdateOptimistically',
      `UPDATE jobs SET status = COALESCE($2, status), progress = COALESCE($3, progress),
         data = data || COALESCE($4::jsonb, '{}'), last_activity_at = $5,
         start_at = CASE WHEN start_at = 0 THEN $5 ELSE start_at END
       WHERE id = $1`,
      [
        jobId,
        fields.status ?? null,
        fields.progress ?? null,
        fields.data ? JSON.stringify(fields.data) : null,
        Date.now(),
      ],
    );
  }

  private async run(jobId: string, importFile: string): Promise<void> {
    const path = join(this.importDir, importFile);
    await this.update(jobId, { status: 'in_progress', progress: 0 });
    const started = Date.now();
    try {
      const size = await stat(path).catch(() => null);
      if (!size) throw new ArchiveError(`import file ${importFile} not found (upload it first)`);
      const lines = await this.validate(jobId, path);
      await this.write(jobId, path, lines);
      await this.update(jobId, {
        status: 'success',
        progress: 100,
        data: { progress_line: `${lines} lines imported`, duration_ms: String(Date.now() - started) },
      });
      this.s.log.info('import job succeeded', { job: jobId, lines, ms: Date.now() - started });
    } catch (err) {
      const data: Record<string, string> =
        err instanceof ImportLineError
          ? { error: err.message, line_number: String(err.line), field: err.field, error_id: err.errorId }
          : { error: err instanceof Error ? err.message : String(err) };
      this.s.log.warn('import job failed', { job: jobId, ...data });
      await this.update(jobId, { status: 'error', data });
    }
  }

  /** What the database holds already, by name (lines may name it). */
  private async known(): Promise<KnownNames> {
    const db = this.s.db;
    const teams = await db.write<{ name: string }>('ImportStore.Teams', 'SELECT name FROM teams');
    const channels = await db.write<{ key: string }>(
      'ImportStore.Channels',
      `SELECT t.name || '/' || c.name AS key FROM channels c JOIN teams t ON t.id = c.team_id`,
    );
    const users = await db.write<{ username: string; email: string }>(
      'ImportStore.Users',
      'SELECT username, lower(email) AS email FROM users',
    );
    return {
      teams: new Set(teams.rows.map((r) => r.name)),
      channels: new Set(channels.rows.map((r) => r.key)),
      users: new Set(users.rows.map((r) => r.username)),
      emails: new Map(users.rows.map((r) => [r.email, r.username])),
    };
  }

  /** The validation pass; returns the number of lines. */
  private async validate(jobId: string, path: string): Promise<number> {
    const validator = new LineValidator(await this.known());
    let lines = 0;
    let last = Date.now();
    for await (const line of archiveLines(path)) {
      validator.check(line.number, line.text);
      lines = line.number;
      if (Date.now() - last > PROGRESS_EVERY_MS) {
        last = Date.now();
        await this.update(jobId, { progress: 1, data: { progress_line: `validated ${lines} lines` } });
      }
    }
    if (lines === 0) throw new ArchiveError('the import file is empty');
    return lines;
  }

  /**
   * The write pass: the file again, in one transaction, on a connection of its own (not the API
   * pool's: its statements may run longer than the API's query timeout, and the pool stays free).
   */
  private async write(jobId: string, path: string, total: number): Promise<void> {
    const client = new pg.Client({
      connectionString: this.s.config.databaseUrl,
      application_name: `mm-double-import-${this.s.config.nodeId}`,
    });
    client.on('error', (err) => this.s.log.warn(`import connection: ${err.message}`));
    await client.connect();
    try {
      await client.query('BEGIN');
      const writer = new ImportWriter(client);
      await writer.start();
      // Validated once already; parsed again here rather than kept (a million lines stay on disk).
      const validator = new LineValidator(await this.known());
      let last = Date.now();
      for await (const line of archiveLines(path)) {
        const data: ImportData = validator.check(line.number, line.text);
        await writer.add(data);
        if (Date.now() - last > PROGRESS_EVERY_MS) {
          last = Date.now();
          await this.update(jobId, {
            progress: 50 + Math.floor((50 * line.number) / total),
            data: { progress_line: `wrote ${line.number}/${total} lines` },
          });
        }
      }
      await this.update(jobId, { progress: 99, data: { progress_line: 'counting threads and channels' } });
      await writer.finish();
      await client.query('COMMIT');
      // A bulk load leaves the planner's statistics empty until autovacuum's next pass notices
      // (minutes on a busy server); until then a search over a million posts picks a plan 10–40×
      // slower (measured: 100–700 ms before, 9–26 ms after). Do now what autovacuum does later,
      // so a run right after seeding measures the steady state.
      await this.update(jobId, { progress: 99, data: { progress_line: 'updating planner statistics' } });
      await client.query('ANALYZE');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
