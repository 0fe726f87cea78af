import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { withRetry } from '../../common/bounded-parallel.js';
import { type Client4, ClientError } from '../../mattermost/official-client.js';

// The administrator's way of importing, over the API (what `mmctl import upload` and
// `mmctl import process` do): an upload session of type `import` (`POST /api/v4/uploads`), the
// archive sent in chunks (`POST /api/v4/uploads/{id}`: 204 while incomplete, the file info when
// complete; a session resumes at its `file_offset`), then an `import_process` job
// (`POST /api/v4/jobs` with `data.import_file` = `<upload id>_<file name>`, as Mattermost names
// the uploaded file) polled with `GET /api/v4/jobs/{id}` until `success` or `error`.
// API reference: https://developers.mattermost.com/api-documentation/#/tag/uploads and /#/tag/jobs.

export interface UploadSession {
  id: string;
  type: string;
  filename: string;
  file_size: number;
  file_offset: number;
}

export interface ImportJob {
  id: string;
  type: string;
  status: 'pending' | 'in_progress' | 'success' | 'error' | 'cancel_requested' | 'canceled' | 'warning';
  progress: number;
  create_at: number;
  start_at: number;
  last_activity_at: number;
  data: Record<string, string> | null;
}

const UPLOAD_CHUNK = 16 << 20;

async function call<T>(
  admin: Client4,
  method: string,
  path: string,
  body?: string | Uint8Array,
  type?: string,
): Promise<T | null> {
  const url = `${admin.getBaseRoute()}${path}`;
  const headers: Record<string, string> = { Authorization: `Bearer ${admin.getToken()}` };
  if (type) headers['Content-Type'] = type;
  const res = await fetch(url, { method, headers, ...(body !== undefined && { body }) });
  const text = await res.text();
  if (!res.ok) {
    let data: { message?: string; id?: string; detailed_error?: string } = {};
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 200) };
    }
    throw new ClientError(admin.getUrl(), {
      message: data.message ?? `HTTP ${res.status}`,
      server_error_id: data.id ?? '',
      status_code: res.status,
      url,
    } as ConstructorParameters<typeof ClientError>[1]);
  }
  return text === '' ? null : (JSON.parse(text) as T);
}

export function createUploadSession(
  admin: Client4,
  filename: string,
  fileSize: number,
): Promise<UploadSession> {
  return withRetry(
    async () =>
      (await call<UploadSession>(
        admin,
        'POST',
        '/uploads',
        JSON.stringify({ type: 'import', filename, file_size: fileSize }),
        'application/json',
      ))!,
  );
}

/** The session, or null once the upload completed (Mattermost removes finished sessions). */
export async function getUploadSession(admin: Client4, id: string): Promise<UploadSession | null> {
  try {
    return await call<UploadSession>(admin, 'GET', `/uploads/${id}`);
  } catch (err) {
    if ((err as { status_code?: number }).status_code === 404) return null;
    throw err;
  }
}

/** Sends the archive from the session's offset on, in chunks; `progress` gets the bytes sent. */
export async function uploadArchive(
  admin: Client4,
  session: UploadSession,
  path: string,
  progress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const size = (await stat(path)).size;
  const file = await open(path, 'r');
  try {
    let offset = session.file_offset;
    while (offset < size) {
      signal?.throwIfAborted();
      const length = Math.min(UPLOAD_CHUNK, size - offset);
      const chunk = Buffer.alloc(length);
      await file.read(chunk, 0, length, offset);
      await call(admin, 'POST', `/uploads/${session.id}`, chunk, 'application/octet-stream');
      offset += length;
      progress(offset, size);
    }
  } finally {
    await file.close();
  }
}

/** The name the server gives an uploaded import file. */
export function importFileName(session: UploadSession, path: string): string {
  return `${session.id}_${basename(path)}`;
}

export async function createImportJob(admin: Client4, importFile: string): Promise<ImportJob> {
  return (await call<ImportJob>(
    admin,
    'POST',
    '/jobs',
    JSON.stringify({ type: 'import_process', data: { import_file: importFile, local_mode: 'false' } }),
    'application/json',
  ))!;
}

export async function getImportJob(admin: Client4, id: string): Promise<ImportJob | null> {
  try {
    return await withRetry(async () => (await call<ImportJob>(admin, 'GET', `/jobs/${id}`))!);
  } catch (err) {
    if ((err as { status_code?: number }).status_code === 404) return null;
    throw err;
  }
}

/** Polls the job until it ends, reporting progress; returns the final job. */
export async function waitForJob(
  admin: Client4,
  id: string,
  progress: (job: ImportJob) => void,
  signal?: AbortSignal,
  intervalMs = 1_000,
): Promise<ImportJob> {
  for (;;) {
    signal?.throwIfAborted();
    const job = await getImportJob(admin, id);
    if (!job) throw new Error(`import job ${id} disappeared from the server`);
    progress(job);
    if (job.status !== 'pending' && job.status !== 'in_progress' && job.status !== 'cancel_requested')
      return job;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
