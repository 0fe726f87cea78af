import { ok } from '../http/context.js';
import { AppError, invalidBodyParam, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId, newId } from '../model/ids.js';
import { ImportJobRunner } from './job-runner.js';
import { importDirectory, requireManageSystem } from './upload-sessions.js';

// POST /api/v4/jobs (type import_process only), GET /api/v4/jobs/{id} and
// GET /api/v4/jobs/type/{type}, for system administrators. The job row is Mattermost's
// model.Job; the node that took the POST runs it (job-runner.ts), any node answers for it.

interface JobRow {
  id: string;
  type: string;
  priority: number;
  create_at: number;
  start_at: number;
  last_activity_at: number;
  status: string;
  progress: number;
  data: Record<string, string>;
}

const JOB_COLUMNS = 'id, type, priority, create_at, start_at, last_activity_at, status, progress, data';
const IMPORT_FILE = /^[a-z0-9]{26}_[^/\\]+$/;

export function registerJobRoutes(api: ApiRouter): void {
  let runner: ImportJobRunner | null = null;

  api.post('/api/v4/jobs', 'createJob', async (ctx, s) => {
    requireManageSystem(ctx);
    const body = await ctx.object('job');
    const type = body.optionalString('type');
    if (type === '') throw invalidBodyParam('job.type');
    if (type !== 'import_process') {
      throw new AppError(
        'api.job.create.not_implemented.app_error',
        `Jobs of type "${type}" are not implemented by the test double (only import_process).`,
        501,
      );
    }
    const data = body.optionalObject('data');
    const importFile = data.import_file;
    if (typeof importFile !== 'string' || !IMPORT_FILE.test(importFile))
      throw invalidBodyParam('job.data.import_file');
    const row: JobRow = {
      id: newId(),
      type,
      priority: 0,
      create_at: Date.now(),
      start_at: 0,
      last_activity_at: 0,
      status: 'pending',
      progress: 0,
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])),
    };
    await s.db.write(
      'JobStore.Save',
      `INSERT INTO jobs (${JOB_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [row.id, row.type, 0, row.create_at, 0, 0, row.status, 0, JSON.stringify(row.data)],
    );
    runner ??= new ImportJobRunner(s, importDirectory(s));
    runner.enqueue(row.id, importFile);
    return ok(row, 201);
  });

  api.get('/api/v4/jobs/:job_id', 'getJob', async (ctx, s) => {
    requireManageSystem(ctx);
    const id = ctx.param('job_id');
    if (!isValidId(id)) throw invalidUrlParam('job_id');
    const { rows } = await s.db.readFresh<JobRow>(
      'JobStore.Get',
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`,
      [id],
    );
    if (!rows[0]) throw new AppError('app.job.get.app_error', 'Unable to get the job.', 404, `id=${id}`);
    return ok(rows[0]);
  });

  api.get('/api/v4/jobs/type/:type', 'getJobsByType', async (ctx, s) => {
    requireManageSystem(ctx);
    const { page, perPage } = ctx.paging();
    const { rows } = await s.db.read<JobRow>(
      'JobStore.GetAllByType',
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE type = $1 ORDER BY create_at DESC LIMIT $2 OFFSET $3`,
      [ctx.param('type'), perPage, page * perPage],
    );
    return ok(rows);
  });
}
