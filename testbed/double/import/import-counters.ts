import type { Queryable } from '../store/db.js';

// After an import's posts are in (same transaction): what the API path keeps up to date post by
// post, set once from what the channels hold — channels' totals and last post times, threads
// (reply count, last reply, participants in order of first reply, as recordReply keeps them),
// thread followers (repliers, read up to their last reply, and root authors), and members' read
// state (read up to the imported history: a seeded workspace does not start with a storm of
// unreads).

export async function recountChannels(c: Queryable, channels: string[]): Promise<void> {
  if (channels.length === 0) return;
  await c.query(
    `UPDATE channels c SET total_msg_count = s.total, total_msg_count_root = s.roots,
       last_post_at = GREATEST(c.last_post_at, s.last_at), last_root_post_at = GREATEST(c.last_root_post_at, s.last_root_at)
     FROM (SELECT channel_id, count(*) AS total, count(*) FILTER (WHERE root_id = '') AS roots,
             max(create_at) AS last_at, COALESCE(max(create_at) FILTER (WHERE root_id = ''), 0) AS last_root_at
           FROM posts WHERE channel_id = ANY($1) AND delete_at = 0 GROUP BY channel_id) s
     WHERE c.id = s.channel_id`,
    [channels],
  );
  // Threads: reply count, last reply, participants in order of first reply (as recordReply keeps them).
  await c.query(
    `WITH firsts AS (
       SELECT root_id, channel_id, user_id, min(create_at) AS first_at, max(create_at) AS last_at, count(*) AS n
       FROM posts WHERE channel_id = ANY($1) AND root_id <> '' AND delete_at = 0
       GROUP BY root_id, channel_id, user_id)
     INSERT INTO threads (post_id, channel_id, reply_count, last_reply_at, participants)
     SELECT root_id, min(channel_id), sum(n), max(last_at), jsonb_agg(user_id ORDER BY first_at) FROM firsts GROUP BY root_id
     ON CONFLICT (post_id) DO UPDATE SET reply_count = EXCLUDED.reply_count, last_reply_at = EXCLUDED.last_reply_at,
       participants = EXCLUDED.participants`,
    [channels],
  );
  // Repliers and root authors follow their threads, read up to their last reply.
  await c.query(
    `INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions)
     SELECT r.root_id, r.user_id, true, max(r.create_at), t.last_reply_at, 0
     FROM posts r JOIN threads t ON t.post_id = r.root_id
     WHERE r.channel_id = ANY($1) AND r.root_id <> '' AND r.delete_at = 0
     GROUP BY r.root_id, r.user_id, t.last_reply_at
     UNION ALL
     SELECT t.post_id, p.user_id, true, 0, t.last_reply_at, 0
     FROM threads t JOIN posts p ON p.id = t.post_id
     WHERE t.channel_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM posts r WHERE r.root_id = t.post_id AND r.root_id <> '' AND r.user_id = p.user_id)
     ON CONFLICT (post_id, user_id) DO NOTHING`,
    [channels],
  );
  // Members have read the imported history (no unread storm for a seeded workspace).
  await c.query(
    `UPDATE channel_members m SET msg_count = c.total_msg_count, msg_count_root = c.total_msg_count_root,
       last_viewed_at = GREATEST(m.last_viewed_at, c.last_post_at), last_update_at = GREATEST(m.last_update_at, c.last_post_at)
     FROM channels c WHERE c.id = m.channel_id AND c.id = ANY($1)`,
    [channels],
  );
}
