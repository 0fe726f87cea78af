import type { Reaction } from '../model/types.js';
import type { Database } from './db.js';

export interface ReactionRow {
  user_id: string;
  post_id: string;
  emoji_name: string;
  channel_id: string;
  create_at: number;
}

export const REACTION_COLUMNS = 'user_id, post_id, emoji_name, channel_id, create_at';

export function toReaction(row: ReactionRow): Reaction {
  return {
    user_id: row.user_id,
    post_id: row.post_id,
    emoji_name: row.emoji_name,
    create_at: row.create_at,
    update_at: row.create_at,
    delete_at: 0,
    remote_id: '',
    channel_id: row.channel_id,
  };
}

/**
 * Saves a reaction (saving it again is a no-op) and bumps the post's update_at, as Mattermost
 * does, so that `since` queries pick the change up.
 */
export async function saveReaction(
  db: Database,
  reaction: Omit<ReactionRow, 'create_at'>,
): Promise<ReactionRow> {
  const now = Date.now();
  return db.tx('ReactionStore.Save', async (c) => {
    await c.query(
      `INSERT INTO reactions (${REACTION_COLUMNS}) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (post_id, user_id, emoji_name) DO NOTHING`,
      [reaction.user_id, reaction.post_id, reaction.emoji_name, reaction.channel_id, now],
    );
    await c.query('UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2', [
      reaction.post_id,
      now,
    ]);
    const { rows } = await c.query<ReactionRow>(
      `SELECT ${REACTION_COLUMNS} FROM reactions WHERE post_id = $1 AND user_id = $2 AND emoji_name = $3`,
      [reaction.post_id, reaction.user_id, reaction.emoji_name],
    );
    return rows[0]!;
  });
}

/** Removes a reaction; removing one that does not exist is not an error. */
export async function deleteReaction(
  db: Database,
  reaction: Pick<ReactionRow, 'user_id' | 'post_id' | 'emoji_name'>,
): Promise<ReactionRow | null> {
  const now = Date.now();
  return db.tx('ReactionStore.Delete', async (c) => {
    const { rows } = await c.query<ReactionRow>(
      `DELETE FROM reactions WHERE post_id = $1 AND user_id = $2 AND emoji_name = $3 RETURNING ${REACTION_COLUMNS}`,
      [reaction.post_id, reaction.user_id, reaction.emoji_name],
    );
    if (rows[0]) {
      await c.query('UPDATE posts SET update_at = $2 WHERE id = $1 AND update_at < $2', [
        reaction.post_id,
        now,
      ]);
    }
    return rows[0] ?? null;
  });
}

export async function reactionsForPost(db: Database, postId: string): Promise<ReactionRow[]> {
  const { rows } = await db.read<ReactionRow>(
    'ReactionStore.GetForPost',
    `SELECT ${REACTION_COLUMNS} FROM reactions WHERE post_id = $1 ORDER BY create_at`,
    [postId],
  );
  return rows;
}
