import type { FileInfo } from '../model/types.js';
import type { Database, Queryable } from './db.js';

export interface FileInfoRow {
  id: string;
  creator_id: string;
  channel_id: string;
  post_id: string;
  path: string;
  name: string;
  extension: string;
  size: number;
  mime_type: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  width: number;
  height: number;
  /** Object keys of the JPEG thumbnail and preview; empty for files that are not images. */
  thumbnail_path: string;
  preview_path: string;
}

export const FILE_INFO_COLUMNS =
  'id, creator_id, channel_id, post_id, path, name, extension, size, mime_type, create_at, update_at, delete_at, width, height, thumbnail_path, preview_path';

/** The FileInfo as the API returns it: never the storage path. */
export function toFileInfo(row: FileInfoRow): FileInfo {
  return {
    id: row.id,
    user_id: row.creator_id,
    channel_id: row.channel_id,
    post_id: row.post_id,
    create_at: row.create_at,
    update_at: row.update_at,
    delete_at: row.delete_at,
    name: row.name,
    extension: row.extension,
    size: row.size,
    mime_type: row.mime_type,
    width: row.width,
    height: row.height,
    has_preview_image: row.preview_path !== '',
    mini_preview: null,
    remote_id: '',
    archived: false,
  };
}

export async function saveFileInfo(db: Database, row: FileInfoRow): Promise<FileInfoRow> {
  const { rows } = await db.write<FileInfoRow>(
    'FileInfoStore.Save',
    `INSERT INTO file_infos (${FILE_INFO_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)
     RETURNING ${FILE_INFO_COLUMNS}`,
    [
      row.id,
      row.creator_id,
      row.channel_id,
      row.post_id,
      row.path,
      row.name,
      row.extension,
      row.size,
      row.mime_type,
      row.create_at,
      row.update_at,
      row.delete_at,
      row.width,
      row.height,
      row.thumbnail_path,
      row.preview_path,
    ],
  );
  return rows[0]!;
}

/** A live (not deleted) file info, read on the primary: uploads are read back at once. */
export async function getFileInfo(db: Database, id: string): Promise<FileInfoRow | null> {
  const { rows } = await db.write<FileInfoRow>(
    'FileInfoStore.Get',
    `SELECT ${FILE_INFO_COLUMNS} FROM file_infos WHERE id = $1 AND delete_at = 0`,
    [id],
  );
  return rows[0] ?? null;
}

export async function fileInfosForPost(db: Database, postId: string): Promise<FileInfoRow[]> {
  const { rows } = await db.read<FileInfoRow>(
    'FileInfoStore.GetForPost',
    `SELECT ${FILE_INFO_COLUMNS} FROM file_infos WHERE post_id = $1 AND delete_at = 0 ORDER BY create_at`,
    [postId],
  );
  return rows;
}

/**
 * Attaches uploaded files to a new post, as Mattermost's attachFilesToPost does: only the
 * author's own, not yet attached files of the same channel; returns the ids that were attached,
 * in the order asked for.
 */
export async function attachFiles(
  client: Queryable,
  fileIds: string[],
  post: { id: string; user_id: string; channel_id: string; create_at: number },
): Promise<string[]> {
  if (fileIds.length === 0) return [];
  const { rows } = await client.query<{ id: string }>(
    `UPDATE file_infos SET post_id = $1, update_at = $2
      WHERE id = ANY($3) AND creator_id = $4 AND channel_id = $5 AND post_id = '' AND delete_at = 0
      RETURNING id`,
    [post.id, post.create_at, fileIds, post.user_id, post.channel_id],
  );
  const attached = new Set(rows.map((r) => r.id));
  return fileIds.filter((id) => attached.has(id));
}
