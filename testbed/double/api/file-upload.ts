import type { IncomingMessage } from 'node:http';
import { basename } from 'node:path';
import busboy from 'busboy';
import { decodeImage, previewOf, thumbnailOf } from '../files/images.js';
import { AppError } from '../http/errors.js';
import { newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { type FileInfoRow, saveFileInfo } from '../store/files.js';

// Reading uploads and storing them: the object first, then the file_infos row.

export interface FormFile {
  filename: string;
  data: Buffer;
}

export interface MultipartForm {
  /** Text fields in arrival order (channel_id, client_ids…). */
  fields: [string, string][];
  files: FormFile[];
}

/** Form fields are small (Mattermost reads at most 10 KiB of one). */
const MAX_FIELD_BYTES = 10 * 1024;

export function tooLarge(filename: string, length: number, limit: number): AppError {
  return new AppError(
    'api.file.upload_file.too_large_detailed.app_error',
    `Unable to upload file ${filename}. ${length} bytes exceeds the maximum allowed ${limit} bytes.`,
    413,
    `Length=${length}, Limit=${limit}`,
  );
}

export function readRequestError(detail: string): AppError {
  return new AppError(
    'api.file.upload_file.read_request.app_error',
    'Unable to read the request.',
    400,
    detail,
  );
}

/** Parses multipart/form-data; a file over `maxFileSize` is 413 (the rest of the body is drained). */
export function readMultipart(req: IncomingMessage, maxFileSize: number): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    const form: MultipartForm = { fields: [], files: [] };
    let failed: AppError | null = null;
    const fail = (err: AppError) => {
      failed ??= err;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxFileSize, fieldSize: MAX_FIELD_BYTES },
      });
    } catch (err) {
      reject(readRequestError(err instanceof Error ? err.message : String(err)));
      return;
    }
    parser.on('field', (name, value) => form.fields.push([name, value]));
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (!failed) chunks.push(chunk);
      });
      stream.on('limit', () => fail(tooLarge(info.filename ?? '', size + 1, maxFileSize)));
      stream.on('end', () => {
        if (!failed)
          form.files.push({ filename: basename(info.filename ?? ''), data: Buffer.concat(chunks) });
      });
    });
    parser.on('error', (err: Error) => {
      req.resume();
      reject(failed ?? readRequestError(err.message));
    });
    parser.on('close', () => (failed ? reject(failed) : resolve(form)));
    req.pipe(parser);
  });
}

// Go's mime.TypeByExtension for the common cases (unknown extensions have no type).
const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
  xml: 'text/xml; charset=utf-8',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  mp4: 'video/mp4',
  mpeg: 'video/mpeg',
  avi: 'video/avi',
  webm: 'video/webm',
  wasm: 'application/wasm',
};

export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function mimeTypeOf(name: string): string {
  return MIME_TYPES[fileExtension(name)] ?? '';
}

/** Mattermost's key layout: data/YYYYMMDD/teams/noteam/channels/<c>/users/<u>/<file id>/<name>. */
function objectKey(at: number, channelId: string, userId: string, fileId: string, name: string): string {
  const day = new Date(at).toISOString().slice(0, 10).replace(/-/g, '');
  return `data/${day}/teams/noteam/channels/${channelId}/users/${userId}/${fileId}/${name}`;
}

export function storageDisabled(): AppError {
  return new AppError(
    'api.file.upload_file.storage.app_error',
    'Unable to upload file. Image storage is not configured.',
    501,
  );
}

/** Writes the object, then the row; a failing object store is 500 api.file.write_file. */
export async function storeUpload(
  s: Services,
  upload: { channelId: string; userId: string; filename: string; data: Buffer },
): Promise<FileInfoRow> {
  const files = s.files;
  if (!files) throw storageDisabled();
  const id = newId();
  const now = Date.now();
  const name = basename(upload.filename);
  const path = objectKey(now, upload.channelId, upload.userId, id, name);
  const mimeType = mimeTypeOf(name);
  const extension = fileExtension(name);
  const image = decodeImage(extension.toLowerCase(), upload.data);
  const thumbnailPath = image ? `${path.replace(/\.[^./]*$/, '')}_thumb.jpg` : '';
  const previewPath = image ? `${path.replace(/\.[^./]*$/, '')}_preview.jpg` : '';
  try {
    await files.put(path, upload.data, mimeType || 'application/octet-stream');
    if (image) {
      await files.put(thumbnailPath, thumbnailOf(image), 'image/jpeg');
      await files.put(previewPath, previewOf(image), 'image/jpeg');
    }
  } catch (err) {
    throw new AppError(
      'api.file.write_file.app_error',
      'Unable to write the file.',
      500,
      err instanceof Error ? err.message : String(err),
    );
  }
  return saveFileInfo(s.db, {
    id,
    creator_id: upload.userId,
    channel_id: upload.channelId,
    post_id: '',
    path,
    name,
    extension,
    size: upload.data.length,
    mime_type: mimeType,
    create_at: now,
    update_at: now,
    delete_at: 0,
    width: image?.width ?? 0,
    height: image?.height ?? 0,
    thumbnail_path: thumbnailPath,
    preview_path: previewPath,
  });
}
