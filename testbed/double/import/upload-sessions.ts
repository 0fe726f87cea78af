import { createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ok, type RequestContext } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId, newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { isSystemAdmin } from '../store/users.js';

// Resumable uploads of type `import` (what `mmctl import upload` uses): POST /api/v4/uploads
// opens a session, POST /api/v4/uploads/{id} appends a chunk at the session's file_offset (204
// while incomplete, the file's info once complete, when the session is removed), GET
// /api/v4/uploads/{id} tells a resuming client where to go on. Sessions live in the database so
// any node answers; the bytes go to `<dataDir>/import/<id>_<filename>` (Mattermost's import
// directory naming), a local directory the nodes of a stack share, not the S3 store: a chunk is
// appended in place and the import job reads the ZIP by random access, neither of which an S3
// object allows without holding the whole archive. Attachment uploads are not implemented.

export interface UploadSessionRow {
  id: string;
  type: string;
  create_at: number;
  user_id: string;
  channel_id: string;
  filename: string;
  path: string;
  file_size: number;
  file_offset: number;
}

const COLUMNS = 'id, type, create_at, user_id, channel_id, filename, path, file_size, file_offset';

/** Where import files are kept; an import job's `import_file` is a name in this directory. */
export function importDirectory(s: Services): string {
  return join(s.config.dataDir, 'import');
}

/** The session as Mattermost's model.UploadSession serialises it (the path stays server-side). */
function toUploadSession(row: UploadSessionRow): Record<string, unknown> {
  return {
    id: row.id,
    type: row.type,
    create_at: row.create_at,
    user_id: row.user_id,
    channel_id: row.channel_id,
    filename: row.filename,
    file_size: row.file_size,
    file_offset: row.file_offset,
  };
}

/** Import uploads and jobs need manage_system (system administrators). */
export function requireManageSystem(ctx: RequestContext): void {
  if (!isSystemAdmin(ctx.me.roles)) throw forbidden('manage_system');
}

function uploadNotFound(id: string): AppError {
  return new AppError('app.upload.get.app_error', 'Unable to find the upload session.', 404, `id=${id}`);
}

async function sessionFor(ctx: RequestContext, s: Services): Promise<UploadSessionRow> {
  const id = ctx.param('upload_id');
  if (!isValidId(id)) throw invalidUrlParam('upload_id');
  const { rows } = await s.db.readFresh<UploadSessionRow>(
    'UploadSessionStore.Get',
    `SELECT ${COLUMNS} FROM upload_sessions WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw uploadNotFound(id);
  if (row.user_id !== ctx.me.user_id) {
    throw new AppError(
      'api.upload.get_upload.forbidden.app_error',
      'Failed to get upload.',
      403,
      `user_id=${ctx.me.user_id}`,
    );
  }
  return row;
}

export function registerUploadSessionRoutes(api: ApiRouter): void {
  api.post('/api/v4/uploads', 'createUpload', async (ctx, s) => {
    const body = await ctx.object('upload');
    const type = body.optionalString('type', 'attachment');
    if (type !== 'import') {
      if (type !== 'attachment') throw invalidBodyParam('upload.type');
      throw new AppError(
        'api.upload.create.not_implemented.app_error',
        'Attachment upload sessions are not implemented by the test double.',
        501,
      );
    }
    requireManageSystem(ctx);
    const filename = basename(body.optionalString('filename'));
    if (filename === '' || filename === '.' || filename.length > 256)
      throw invalidBodyParam('upload.filename');
    const fileSize = body.optionalNumber('file_size');
    if (!Number.isInteger(fileSize) || fileSize <= 0) throw invalidBodyParam('upload.file_size');
    const id = newId();
    const dir = importDirectory(s);
    const row: UploadSessionRow = {
      id,
      type,
      create_at: Date.now(),
      user_id: ctx.me.user_id,
      channel_id: '',
      filename,
      path: join(dir, `${id}_${filename}`),
      file_size: fileSize,
      file_offset: 0,
    };
    await mkdir(dir, { recursive: true });
    await (await open(row.path, 'w')).close();
    await s.db.write(
      'UploadSessionStore.Save',
      `INSERT INTO upload_sessions (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [row.id, row.type, row.create_at, row.user_id, row.channel_id, row.filename, row.path, fileSize, 0],
    );
    return ok(toUploadSession(row), 201);
  });

  api.get('/api/v4/uploads/:upload_id', 'getUpload', async (ctx, s) => {
    requireManageSystem(ctx);
    return ok(toUploadSession(await sessionFor(ctx, s)));
  });

  api.post('/api/v4/uploads/:upload_id', 'uploadData', async (ctx, s) => {
    requireManageSystem(ctx);
    const session = await sessionFor(ctx, s);
    const room = session.file_size - session.file_offset;
    const declared = Number(ctx.req.headers['content-length'] ?? Number.NaN);
    if (declared > room) {
      ctx.req.resume();
      throw tooMuchData(declared, room);
    }
    let received = 0;
    const bounded = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        done(received > room ? tooMuchData(received, room) : null, chunk);
      },
    });
    try {
      await pipeline(
        ctx.req,
        bounded,
        createWriteStream(session.path, { flags: 'r+', start: session.file_offset }),
      );
    } catch (err) {
      ctx.req.resume();
      if (err instanceof AppError) throw err;
      throw new AppError(
        'app.upload.upload_data.save.app_error',
        'Failed to save file data.',
        500,
        (err as Error).message,
      );
    }
    const offset = session.file_offset + received;
    if (offset < session.file_size) {
      await s.db.write(
        'UploadSessionStore.Update',
        'UPDATE upload_sessions SET file_offset = $2 WHERE id = $1',
        [session.id, offset],
      );
      return { status: 204 };
    }
    // Complete: the session ends, the file stays for an import job to read.
    await s.db.write('UploadSessionStore.Delete', 'DELETE FROM upload_sessions WHERE id = $1', [session.id]);
    const now = Date.now();
    return ok({
      id: newId(),
      user_id: session.user_id,
      channel_id: '',
      create_at: now,
      update_at: now,
      delete_at: 0,
      name: `${session.id}_${session.filename}`,
      extension: session.filename.includes('.') ? (session.filename.split('.').pop() ?? '') : '',
      size: session.file_size,
      mime_type: session.filename.endsWith('.zip') ? 'application/zip' : '',
    });
  });
}

function tooMuchData(received: number, room: number): AppError {
  return new AppError(
    'app.upload.upload_data.large_file.app_error',
    'Unable to upload the data: more bytes than the session expects.',
    400,
    `received=${received}, remaining=${room}`,
  );
}
