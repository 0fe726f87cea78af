import type { Post, User } from '../model/types.js';
import type { Database, Queryable } from './db.js';
import { POST_COLUMNS, type PostRow, REPLY_COUNT, toPost } from './posts.js';
import { toUser, USER_COLUMNS, type UserRow } from './users.js';

/** Mattermost's ThreadResponse (plus is_following, which the double reports on every thread). */
export interface ThreadResponse {
  id: string;
  reply_count: number;
  last_reply_at: number;
  last_viewed_at: number;
  participants: User[];
  post: Post;
  unread_replies: number;
  unread_mentions: number;
  is_following: boolean;
  is_urgent: boolean;
  delete_at: number;
}

/**
 * Inside the reply's transaction: the thread row (reply count, last reply, participants in
 * order of first reply) and the memberships — the replier follows and has read up to now, the
 * root author follows, mentioned users follow with one more unread mention.
 */
export async function recordReply(
  client: Queryable,
  reply: { root_id: string; channel_id: string; user_id: string; create_at: number },
  rootAuthorId: string,
  mentionedIds: string[],
): Promise<string[]> {
  const t = reply.create_at;
  await client.query(
    `INSERT INTO threads (post_id, channel_id, reply_count, last_reply_at, participants)
     VALUES ($1, $2, 1, $3, jsonb_build_array($4::text))
     ON CONFLICT (post_id) DO UPDATE SET
       reply_count = threads.reply_count + 1,
       last_reply_at = GREATEST(threads.last_reply_at, EXCLUDED.last_reply_at),
       participants = CASE WHEN threads.participants ? $4 THEN threads.participants
                           ELSE threads.participants || jsonb_build_array($4::text) END`,
    [reply.root_id, reply.channel_id, t, reply.user_id],
  );
  await client.query(
    `INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions)
     VALUES ($1, $2, true, $3, $3, 0)
     ON CONFLICT (post_id, user_id) DO UPDATE SET following = true, last_viewed = $3, last_updated = $3, unread_mentions = 0`,
    [reply.root_id, reply.user_id, t],
  );
  if (rootAuthorId !== reply.user_id) {
    await client.query(
      `INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions)
       VALUES ($1, $2, true, 0, $3, 0) ON CONFLICT (post_id, user_id) DO UPDATE SET last_updated = $3`,
      [reply.root_id, rootAuthorId, t],
    );
  }
  const mentioned = mentionedIds.filter((id) => id !== reply.user_id);
  if (mentioned.length > 0) {
    await client.query(
      `INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions)
       SELECT $1, u, true, 0, $3, 1 FROM unnest($2::text[]) AS u
       ON CONFLICT (post_id, user_id) DO UPDATE SET
         following = true, last_updated = $3, unread_mentions = thread_memberships.unread_mentions + 1`,
      [reply.root_id, mentioned, t],
    );
  }
  const { rows } = await client.query<{ user_id: string }>(
    'SELECT user_id FROM thread_memberships WHERE post_id = $1 AND following ORDER BY user_id',
    [reply.root_id],
  );
  return rows.map((r) => r.user_id);
}

/** After a reply is deleted: recount the thread from the replies that are left. */
export async function recountThread(client: Queryable, rootId: string): Promise<void> {
  await client.query(
    `UPDATE threads SET
       reply_count = (SELECT count(*) FROM posts WHERE root_id = $1 AND delete_at = 0),
       last_reply_at = COALESCE((SELECT max(create_at) FROM posts WHERE root_id = $1 AND delete_at = 0), 0)
     WHERE post_id = $1`,
    [rootId],
  );
}

export interface ThreadQuery {
  perPage: number;
  before: string;
  after: string;
  unread: boolean;
  since: number;
  deleted: boolean;
}

interface ThreadRow {
  post_id: string;
  reply_count: number;
  last_reply_at: number;
  participants: string[];
  last_viewed: number;
  unread_mentions: number;
  following: boolean;
  unread_replies: number;
}

const THREAD_SELECT = `SELECT t.post_id, t.reply_count, t.last_reply_at, t.participants, m.last_viewed,
    m.unread_mentions, m.following,
    (SELECT count(*) FROM posts r WHERE r.root_id = t.post_id AND r.delete_at = 0 AND r.create_at > m.last_viewed) AS unread_replies
  FROM thread_memberships m
  JOIN threads t ON t.post_id = m.post_id
  JOIN channels c ON c.id = t.channel_id
  JOIN posts root ON root.id = t.post_id`;

/** The threads a user follows in a team (and in DMs/GMs), latest reply first, with totals. */
export async function threadsForUser(db: Database, userId: string, teamId: string, q: ThreadQuery) {
  const where = ['m.user_id = $1', 'm.following', "(c.team_id = $2 OR c.team_id = '')"];
  if (!q.deleted) where.push('root.delete_at = 0');
  const totalsWhere = [...where];
  const params: unknown[] = [userId, teamId];
  if (q.since > 0) {
    params.push(q.since);
    where.push(`(t.last_reply_at > $${params.length} OR m.last_updated > $${params.length})`);
  }
  if (q.unread) where.push('m.last_viewed < t.last_reply_at');
  if (q.before) {
    params.push(q.before);
    where.push(`t.last_reply_at < (SELECT last_reply_at FROM threads WHERE post_id = $${params.length})`);
  }
  if (q.after) {
    params.push(q.after);
    where.push(`t.last_reply_at > (SELECT last_reply_at FROM threads WHERE post_id = $${params.length})`);
  }
  params.push(q.perPage);
  // "after" walks towards newer threads, so it selects oldest first and flips the page.
  const sort = q.after ? 'ASC' : 'DESC';
  const [page, totals] = await Promise.all([
    db.read<ThreadRow>(
      'ThreadStore.GetThreadsForUser',
      `${THREAD_SELECT} WHERE ${where.join(' AND ')} ORDER BY t.last_reply_at ${sort}, t.post_id ${sort} LIMIT $${params.length}`,
      params,
    ),
    db.read<{ total: number; total_unread_threads: number; total_unread_mentions: number }>(
      'ThreadStore.GetTotalThreads',
      `SELECT count(*)::bigint AS total,
              count(*) FILTER (WHERE m.last_viewed < t.last_reply_at)::bigint AS total_unread_threads,
              COALESCE(sum(m.unread_mentions), 0)::bigint AS total_unread_mentions
         FROM thread_memberships m JOIN threads t ON t.post_id = m.post_id
         JOIN channels c ON c.id = t.channel_id JOIN posts root ON root.id = t.post_id
        WHERE ${totalsWhere.join(' AND ')}`,
      [userId, teamId],
    ),
  ]);
  const rows = q.after ? [...page.rows].reverse() : page.rows;
  return {
    total: totals.rows[0]?.total ?? 0,
    total_unread_threads: totals.rows[0]?.total_unread_threads ?? 0,
    total_unread_mentions: totals.rows[0]?.total_unread_mentions ?? 0,
    total_unread_urgent_mentions: 0,
    threads: (await toThreadResponses(db, rows)).filter((t) => t !== null),
  };
}

/** One thread as a user sees it; null when the user has no membership in it. */
export async function threadForUser(
  db: Database,
  userId: string,
  threadId: string,
): Promise<ThreadResponse | null> {
  const { rows } = await db.write<ThreadRow>(
    'ThreadStore.GetThreadForUser',
    `${THREAD_SELECT} WHERE m.user_id = $1 AND m.post_id = $2`,
    [userId, threadId],
  );
  const [thread] = await toThreadResponses(db, rows);
  return thread ?? null;
}

/** The membership of every following user, as each sees the thread (for thread_updated). */
export async function threadForFollowers(
  db: Database,
  threadId: string,
): Promise<Map<string, ThreadResponse>> {
  const { rows } = await db.write<ThreadRow & { user_id: string }>(
    'ThreadStore.GetMembershipsForThread',
    `${THREAD_SELECT.replace('SELECT t.post_id', 'SELECT m.user_id, t.post_id')} WHERE m.post_id = $1 AND m.following`,
    [threadId],
  );
  const threads = await toThreadResponses(db, rows);
  const byUser = new Map<string, ThreadResponse>();
  rows.forEach((r, i) => {
    const thread = threads[i];
    if (thread) byUser.set(r.user_id, thread);
  });
  return byUser;
}

/** Creates or updates a membership: following on/off, optionally marking the thread read now. */
export async function setThreadFollowing(
  db: Database,
  userId: string,
  threadId: string,
  following: boolean,
): Promise<void> {
  const now = Date.now();
  await db.write(
    'ThreadStore.MaintainMembership',
    `INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions)
     VALUES ($1, $2, $3, CASE WHEN $3 THEN $4::bigint ELSE 0 END, $4, 0)
     ON CONFLICT (post_id, user_id) DO UPDATE SET following = $3, last_updated = $4,
       last_viewed = CASE WHEN $3 THEN $4::bigint ELSE thread_memberships.last_viewed END`,
    [threadId, userId, following, now],
  );
}

/** Marks a thread read up to `timestamp`; unread mentions become the mentions after it. */
export async function markThreadRead(
  db: Database,
  user: { id: string; username: string },
  threadId: string,
  timestamp: number,
): Promise<void> {
  const now = Date.now();
  const mention = `@${user.username}`;
  await db.write(
    'ThreadStore.UpdateMembership',
    `INSERT INTO thread_memberships (post_id, user_id, following, last_viewed, last_updated, unread_mentions)
     VALUES ($1, $2, true, $3, $4, 0)
     ON CONFLICT (post_id, user_id) DO UPDATE SET following = true, last_viewed = $3, last_updated = $4,
       unread_mentions = (SELECT count(*) FROM posts WHERE root_id = $1 AND delete_at = 0 AND create_at > $3
                            AND user_id <> $2 AND position(lower($5) in lower(message)) > 0)`,
    [threadId, user.id, timestamp, now, mention],
  );
}

/** One response per row, in row order; null where the root post is gone. */
async function toThreadResponses(db: Database, rows: ThreadRow[]): Promise<(ThreadResponse | null)[]> {
  if (rows.length === 0) return [];
  const rootIds = [...new Set(rows.map((r) => r.post_id))];
  const userIds = [...new Set(rows.flatMap((r) => r.participants ?? []))];
  const [roots, users] = await Promise.all([
    db.read<PostRow>(
      'PostStore.GetPostsByIds',
      `SELECT ${POST_COLUMNS}, ${REPLY_COUNT} FROM posts p WHERE p.id = ANY($1)`,
      [rootIds],
    ),
    db.read<UserRow>('UserStore.GetProfileByIds', `SELECT ${USER_COLUMNS} FROM users WHERE id = ANY($1)`, [
      userIds,
    ]),
  ]);
  const postById = new Map(roots.rows.map((p) => [p.id, p]));
  const userById = new Map(users.rows.map((u) => [u.id, toUser(u)]));
  return rows.map((r) => {
    const root = postById.get(r.post_id);
    if (!root) return null;
    return {
      id: r.post_id,
      reply_count: r.reply_count,
      last_reply_at: r.last_reply_at,
      last_viewed_at: r.last_viewed,
      participants: (r.participants ?? []).flatMap((id) => userById.get(id) ?? []),
      post: { ...toPost(root), is_following: r.following } as Post,
      unread_replies: r.unread_replies,
      unread_mentions: r.unread_mentions,
      is_following: r.following,
      is_urgent: false,
      delete_at: root.delete_at,
    };
  });
}
