import { newId } from '../model/ids.js';
import type { Database, Queryable } from './db.js';
import { attachFiles } from './files.js';
import { POST_COLUMNS, type PostRow, REPLY_COUNT } from './posts.js';
import { recordReply, recountThread } from './threads.js';

// Writes of posts: each is one transaction, returned only after COMMIT.

export interface NewPost {
  id: string;
  channel_id: string;
  user_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  file_ids: string[];
  create_at: number;
}

export interface SavedPost {
  row: PostRow;
  /** Users following the thread after a reply (empty for a root post). */
  followers: string[];
}

const INSERT_POST = `INSERT INTO posts (id, channel_id, user_id, root_id, original_id, message, type, props, hashtags,
    file_ids, is_pinned, create_at, update_at, edit_at, delete_at)
  VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`;

function insertValues(row: PostRow): unknown[] {
  return [
    row.id,
    row.channel_id,
    row.user_id,
    row.root_id,
    row.original_id,
    row.message,
    row.type,
    JSON.stringify(row.props),
    row.hashtags,
    JSON.stringify(row.file_ids),
    row.is_pinned,
    row.create_at,
    row.update_at,
    row.edit_at,
    row.delete_at,
  ];
}

/**
 * Saves a post and everything that moves with it, in one transaction: the channel's counters,
 * the author's membership (read up to now, like MarkChannelsAsViewed), mention counts, the
 * thread for a reply, and the attached files.
 */
export async function savePost(
  db: Database,
  post: NewPost,
  options: { rootAuthorId: string; mentionedIds: string[] },
): Promise<SavedPost> {
  return db.tx('PostStore.Save', async (c) => {
    const t = post.create_at;
    const fileIds = await attachFiles(c, post.file_ids, post);
    const row: PostRow = {
      ...post,
      original_id: '',
      file_ids: fileIds,
      is_pinned: false,
      update_at: t,
      edit_at: 0,
      delete_at: 0,
    };
    await c.query(INSERT_POST, insertValues(row));
    const isRoot = post.root_id === '';
    const { rows: counts } = await c.query<{ total_msg_count: number; total_msg_count_root: number }>(
      `UPDATE channels SET last_post_at = GREATEST(last_post_at, $2), total_msg_count = total_msg_count + 1,
         last_root_post_at = CASE WHEN $3 THEN GREATEST(last_root_post_at, $2) ELSE last_root_post_at END,
         total_msg_count_root = total_msg_count_root + CASE WHEN $3 THEN 1 ELSE 0 END
       WHERE id = $1 RETURNING total_msg_count, total_msg_count_root`,
      [post.channel_id, t, isRoot],
    );
    const totals = counts[0];
    if (totals) {
      await c.query(
        `UPDATE channel_members SET last_viewed_at = GREATEST(last_viewed_at, $3), msg_count = $4, msg_count_root = $5,
           mention_count = 0, last_update_at = $3
         WHERE channel_id = $1 AND user_id = $2`,
        [post.channel_id, post.user_id, t, totals.total_msg_count, totals.total_msg_count_root],
      );
    }
    if (options.mentionedIds.length > 0) {
      await c.query(
        `UPDATE channel_members SET mention_count = mention_count + 1, last_update_at = $3
         WHERE channel_id = $1 AND user_id = ANY($2)`,
        [post.channel_id, options.mentionedIds, t],
      );
    }
    let followers: string[] = [];
    if (!isRoot) {
      await c.query('UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2', [post.root_id, t]);
      followers = await recordReply(c, post, options.rootAuthorId, options.mentionedIds);
    }
    const reread = await c.query<PostRow>(
      `SELECT ${POST_COLUMNS}, ${REPLY_COUNT} FROM posts p WHERE p.id = $1`,
      [post.id],
    );
    return { row: reread.rows[0] ?? row, followers };
  });
}

export interface PostChange {
  message: string;
  is_pinned: boolean;
  file_ids: string[];
  props: Record<string, unknown>;
  hashtags: string;
}

/**
 * Edits a post as Mattermost's PostStore.Update does: the old version is kept as a deleted copy
 * pointing at the post (original_id), the channel's last_post_at and a reply's root move on.
 */
export async function updatePost(db: Database, original: PostRow, change: PostChange): Promise<PostRow> {
  return db.tx('PostStore.Update', async (c) => {
    const t = Date.now();
    const editAt = change.message !== original.message ? t : original.edit_at;
    const { rows } = await c.query<PostRow>(
      `UPDATE posts p SET message = $2, is_pinned = $3, file_ids = $4, props = $5, hashtags = $6, edit_at = $7, update_at = $8
       WHERE id = $1 RETURNING ${POST_COLUMNS}, ${REPLY_COUNT}`,
      [
        original.id,
        change.message,
        change.is_pinned,
        JSON.stringify(change.file_ids),
        JSON.stringify(change.props),
        change.hashtags,
        editAt,
        t,
      ],
    );
    await c.query(
      INSERT_POST,
      insertValues({ ...original, id: newId(), original_id: original.id, update_at: t, delete_at: t }),
    );
    await c.query('UPDATE channels SET last_post_at = $2 WHERE id = $1 AND last_post_at < $2', [
      original.channel_id,
      t,
    ]);
    if (original.root_id) {
      await c.query('UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2', [
        original.root_id,
        t,
      ]);
    }
    return rows[0]!;
  });
}

/**
 * Soft-deletes a post; deleting a root deletes its whole thread. The post comes back with
 * delete_at set and props.deleteBy, as in Mattermost's post_deleted event.
 */
export async function deletePost(db: Database, post: PostRow, deletedBy: string): Promise<PostRow> {
  return db.tx('PostStore.Delete', async (c: Queryable) => {
    const t = Date.now();
    const { rows } = await c.query<PostRow>(
      `UPDATE posts p SET delete_at = $2, update_at = $2, props = jsonb_set(props, '{deleteBy}', to_jsonb($3::text))
       WHERE (id = $1 OR root_id = $1) AND delete_at = 0
       RETURNING ${POST_COLUMNS}`,
      [post.id, t, deletedBy],
    );
    await c.query(
      'UPDATE file_infos SET delete_at = $2, update_at = $2 WHERE post_id = ANY($1) AND delete_at = 0',
      [rows.map((r) => r.id), t],
    );
    if (post.root_id) {
      await c.query('UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2', [post.root_id, t]);
      await recountThread(c, post.root_id);
    } else {
      await c.query('DELETE FROM threads WHERE post_id = $1', [post.id]);
    }
    const deleted = rows.find((r) => r.id === post.id);
    return { ...(deleted ?? post), reply_count: 0 };
  });
}
