import { ok, type Reply, type RequestContext } from '../http/context.js';
import { AppError, forbidden, invalidParam, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { FileInfo } from '../model/types.js';
import type { Services } from '../services.js';
import { type FileInfoRow, fileInfosForPost, getFileInfo, toFileInfo } from '../store/files.js';
import { getPostRow } from '../store/posts.js';
import { readMultipart, readRequestError, storageDisabled, storeUpload, tooLarge } from './file-upload.js';
import { idParam } from './params.js';
import {
  isAdmin,
  isMemberOnPrimary,
  requireChannelPermission,
  requirePermissionByPost,
} from './post-access.js';

// Multipart bodies carry headers and form fields besides the files themselves.
const MULTIPART_OVERHEAD_BYTES = 1 << 20;
// Served inline by Mattermost's WriteFileResponse; everything else is an attachment.
const MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/bmp',
  'image/gif',
  'image/tiff',
  'video/avi',
  'video/mpeg',
  'video/mp4',
  'audio/mpeg',
  'audio/wav',
];

function fileInfoNotFound(id: string): AppError {
  return new AppError('app.file_info.get.app_error', 'Unable to get the file info.', 404, `id=${id}`);
}

/** getFile's rule: the uploader, or whoever may read the channel of the post it is attached to. */
async function readableFile(ctx: RequestContext, s: Services, fileId: string): Promise<FileInfoRow> {
  const info = await getFileInfo(s.db, fileId);
  if (!info) throw fileInfoNotFound(fileId);
  if (info.creator_id === ctx.me.user_id || isAdmin(ctx)) return info;
  const post = info.post_id ? await getPostRow(s.db, info.post_id, { includeDeleted: true }) : null;
  if (!post || !(await isMemberOnPrimary(s.db, post.channel_id, ctx.me.user_id)))
    throw forbidden('read_channel');
  return info;
}

async function uploadMultipart(ctx: RequestContext, s: Services) {
  const max = s.config.maxFileSizeBytes;
  const form = await readMultipart(ctx.req, max);
  let channelId = ctx.query.get('channel_id') ?? '';
  const clientIds: string[] = [];
  for (const [name, value] of form.fields) {
    if (name === 'channel_id') {
      if (channelId && value && channelId !== value) {
        throw new AppError(
          'api.file.upload_file.multiple_channel_ids.app_error',
          'Unable to upload files. Multiple conflicting channel_ids.',
          400,
        );
      }
      if (value) channelId = value;
    } else if (name === 'client_ids') clientIds.push(value);
    else throw invalidParam(name);
  }
  if (form.files.length === 0) return { file_infos: [], client_ids: [] };
  if (!isValidId(channelId)) throw invalidUrlParam('channel_id');
  await requireChannelPermission(ctx, s, channelId, 'upload_file');
  if (clientIds.length > 0 && clientIds.length !== form.files.length) {
    throw new AppError(
      'api.file.upload_file.incorrect_number_of_client_ids.app_error',
      `Unable to upload files. Have ${clientIds.length} client_ids for ${form.files.length} files.`,
      400,
    );
  }
  const infos: FileInfo[] = [];
  for (const file of form.files) {
    infos.push(
      toFileInfo(
        await storeUpload(s, { channelId, userId: ctx.me.user_id, filename: file.filename, data: file.data }),
      ),
    );
  }
  return { file_infos: infos, client_ids: clientIds };
}

async function uploadRaw(ctx: RequestContext, s: Services) {
  const max = s.config.maxFileSizeBytes;
  const channelId = ctx.query.get('channel_id') ?? '';
  if (!isValidId(channelId)) throw invalidUrlParam('channel_id');
  const filename = ctx.query.get('filename') ?? '';
  if (filename === '' || filename.length > 256) throw invalidUrlParam('filename');
  await requireChannelPermission(ctx, s, channelId, 'upload_file');
  if (!s.files) throw storageDisabled();
  const declared = Number(ctx.req.headers['content-length'] ?? '-1');
  if (declared > max) {
    ctx.req.resume();
    throw tooLarge(filename, declared, max);
  }
  let data: Buffer;
  try {
    data = await ctx.raw(max);
  } catch (err) {
    if (err instanceof AppError && err.statusCode === 413) throw tooLarge(filename, declared, max);
    throw err;
  }
  const clientId = ctx.query.get('client_id') ?? '';
  const info = toFileInfo(await storeUpload(s, { channelId, userId: ctx.me.user_id, filename, data }));
  return { file_infos: [info], client_ids: clientId ? [clientId] : [] };
}

function fileResponse(info: FileInfoRow, data: Buffer, forceDownload: boolean): Reply {
  const contentType = info.mime_type || 'application/octet-stream';
  const inline = !forceDownload && MEDIA_TYPES.some((t) => contentType.startsWith(t));
  const name = encodeURIComponent(info.name);
  return {
    status: 200,
    raw: data,
    headers: {
      'Content-Type': contentType,
      'Content-Length': String(data.length),
      'Content-Disposition': `${inline ? 'inline' : 'attachment'};filename="${name}"; filename*=UTF-8''${name}`,
      'Cache-Control': 'private, no-cache',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "Frame-ancestors 'none'",
      'Last-Modified': new Date(info.update_at).toUTCString(),
    },
  };
}

export function registerFileRoutes(api: ApiRouter): void {
  api.post('/api/v4/files', 'uploadFileStream', async (ctx, s) => {
    const declared = ctx.req.headers['content-length'];
    if (declared === '0') {
      throw readRequestError('Content-Length should not be 0');
    }
    const multipart = /^multipart\/form-data\b/i.test(ctx.req.headers['content-type'] ?? '');
    if (!multipart) return ok(await uploadRaw(ctx, s), 201);
    const max = s.config.maxFileSizeBytes;
    if (Number(declared ?? '0') > max + MULTIPART_OVERHEAD_BYTES) {
      ctx.req.resume();
      throw tooLarge('', Number(declared), max);
    }
    return ok(await uploadMultipart(ctx, s), 201);
  });

  api.get('/api/v4/files/:file_id', 'getFile', async (ctx, s) => {
    const info = await readableFile(ctx, s, idParam(ctx, 'file_id'));
    if (!s.files) throw storageDisabled();
    let data: Buffer;
    try {
      data = await s.files.get(info.path);
    } catch (err) {
      // Mattermost's getFile turns a failed read into 404 (the id stays api.file.file_reader).
      throw new AppError(
        'api.file.file_reader.app_error',
        'Unable to get the reader to the file.',
        404,
        err instanceof Error ? err.message : String(err),
      );
    }
    return fileResponse(info, data, ctx.query.get('download') === 'true');
  });

  for (const kind of ['thumbnail', 'preview'] as const) {
    const handler = kind === 'thumbnail' ? 'getFileThumbnail' : 'getFilePreview';
    api.get(`/api/v4/files/:file_id/${kind}`, handler, async (ctx, s) => {
      const fileId = idParam(ctx, 'file_id');
      const info = await readableFile(ctx, s, fileId);
      const key = kind === 'thumbnail' ? info.thumbnail_path : info.preview_path;
      if (!key) {
        throw new AppError(
          `api.file.get_file_${kind}.no_${kind}.app_error`,
          `File doesn't have a ${kind} image.`,
          400,
          `file_id=${fileId}`,
        );
      }
      if (!s.files) throw storageDisabled();
      const data = await s.files.get(key).catch((err: unknown) => {
        throw new AppError(
          'api.file.file_reader.app_error',
          'Unable to get the reader to the file.',
          404,
          err instanceof Error ? err.message : String(err),
        );
      });
      const name = kind === 'thumbnail' ? 'thumbnail.jpg' : 'preview.jpg';
      return fileResponse(
        { ...info, name, mime_type: 'image/jpeg' },
        data,
        ctx.query.get('download') === '1',
      );
    });
  }

  api.get('/api/v4/files/:file_id/info', 'getFileInfo', async (ctx, s) =>
    ok(toFileInfo(await readableFile(ctx, s, idParam(ctx, 'file_id')))),
  );

  api.get('/api/v4/posts/:post_id/files/info', 'getFileInfosForPost', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    await requirePermissionByPost(ctx, s, postId, 'read_channel_content');
    return ok((await fileInfosForPost(s.db, postId)).map(toFileInfo));
  });
}
