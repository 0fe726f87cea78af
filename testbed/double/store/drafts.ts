import type { Database } from './db.js';

export interface DraftRow {
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  props: Record<string, unknown>;
  file_ids: string[];
  create_at: number;
  update_at: number;
  delete_at: number;
}

export const DRAFT_COLUMNS =
  'user_id, channel_id, root_id, message, props, file_ids, create_at, update_at, delete_at';

/** Mattermost's Draft as the API returns it (file_ids omitted when empty). */
export function toDraft(row: DraftRow): Record<string, unknown> {
  const draft: Record<string, unknown> = {
    create_at: row.create_at,
    update_at: row.update_at,
    delete_at: row.delete_at,
    user_id: row.user_id,
    channel_id: row.channel_id,
    root_id: row.root_id,
    message: row.message,
    props: row.props ?? {},
  };
  if ((row.file_ids ?? []).length > 0) draft.file_ids = row.file_ids;
  return draft;
}

/** Insert or update the (user, channel, root) draft; create_at survives updates. */
export async function upsertDraft(
  db: Database,
  draft: Omit<DraftRow, 'create_at' | 'update_at' | 'delete_at'> & { create_at: number },
): Promise<DraftRow> {
  const now = Date.now();
  const { rows } = await db.write<DraftRow>(
    'DraftStore.Upsert',
    `INSERT INTO drafts (${DRAFT_COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,0)
     ON CONFLICT (user_id, channel_id, root_id) DO UPDATE SET
       message = EXCLUDED.message, props = EXCLUDED.props, file_ids = EXCLUDED.file_ids,
       update_at = EXCLUDED.update_at, delete_at = 0,
       create_at = CASE WHEN drafts.delete_at <> 0 THEN EXCLUDED.create_at ELSE drafts.create_at END
     RETURNING ${DRAFT_COLUMNS}`,
    [
      draft.user_id,
      draft.channel_id,
      draft.root_id,
      draft.message,
      JSON.stringify(draft.props),
      JSON.stringify(draft.file_ids),
      draft.create_at || now,
      now,
    ],
  );
  return rows[0]!;
}

export async function getDraft(
  db: Database,
  userId: string,
  channelId: string,
  rootId: string,
): Promise<DraftRow | null> {
  const { rows } = await db.write<DraftRow>(
    'DraftStore.Get',
    `SELECT ${DRAFT_COLUMNS} FROM drafts WHERE user_id = $1 AND channel_id = $2 AND root_id = $3 AND delete_at = 0`,
    [userId, channelId, rootId],
  );
  return rows[0] ?? null;
}

/** Soft delete, as Mattermost's DraftStore.Delete. */
export async function deleteDraft(
  db: Database,
  userId: string,
  channelId: string,
  rootId: string,
): Promise<DraftRow | null> {
  const { rows } = await db.write<DraftRow>(
    'DraftStore.Delete',
    `UPDATE drafts SET delete_at = $4, update_at = $4
      WHERE user_id = $1 AND channel_id = $2 AND root_id = $3 AND delete_at = 0 RETURNING ${DRAFT_COLUMNS}`,
    [userId, channelId, rootId, Date.now()],
  );
  return rows[0] ?? null;
}

/** A user's drafts in a team's channels (and DMs/GMs) they still belong to, newest first. */
export async function draftsForUser(db: Database, userId: string, teamId: string): Promise<DraftRow[]> {
  const { rows } = await db.read<DraftRow>(
    'DraftStore.GetDraftsForUser',
    `SELECT ${DRAFT_COLUMNS.split(', ')
      .map((c) => `d.${c}`)
      .join(', ')} FROM drafts d
       JOIN channel_members cm ON cm.channel_id = d.channel_id AND cm.user_id = d.user_id
       JOIN channels c ON c.id = d.channel_id
      WHERE d.user_id = $1 AND d.delete_at = 0 AND c.delete_at = 0 AND (c.team_id = $2 OR c.team_id = '')
      ORDER BY d.update_at DESC`,
    [userId, teamId],
  );
  return rows;
}
