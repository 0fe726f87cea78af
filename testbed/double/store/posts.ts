import type { Post, PostList, Reaction } from '../model/types.js';
import type { Database, Queryable } from './db.js';
import { FILE_INFO_COLUMNS, type FileInfoRow, toFileInfo } from './files.js';
import { REACTION_COLUMNS, type ReactionRow, toReaction } from './reactions.js';

export interface PostRow {
  id: string;
  channel_id: string;
  user_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  file_ids: string[];
  is_pinned: boolean;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  /** The thread's reply count (a reply carries its root's), like Mattermost's ReplyCount column. */
  reply_count?: number;
}

export const POST_COLUMNS =
  'p.id, p.channel_id, p.user_id, p.root_id, p.original_id, p.message, p.type, p.props, p.hashtags, p.file_ids, p.is_pinned, p.create_at, p.update_at, p.edit_at, p.delete_at';

// Mattermost's ReplyCount subquery: non-deleted replies of the post's thread.
export const REPLY_COUNT = `(SELECT count(*) FROM posts r WHERE r.root_id = (CASE WHEN p.root_id = '' THEN p.id ELSE p.root_id END) AND r.delete_at = 0) AS reply_count`;

export const SELECT_POSTS = `SELECT ${POST_COLUMNS}, ${REPLY_COUNT} FROM posts p`;

export function toPost(row: PostRow, pendingPostId = ''): Post {
  return {
    id: row.id,
    create_at: row.create_at,
    update_at: row.update_at,
    edit_at: row.edit_at,
    delete_at: row.delete_at,
    is_pinned: row.is_pinned,
    user_id: row.user_id,
    channel_id: row.channel_id,
    root_id: row.root_id,
    original_id: row.original_id,
    message: row.message,
    type: row.type,
    props: row.props ?? {},
    hashtags: row.hashtags,
    file_ids: row.file_ids ?? [],
    pending_post_id: pendingPostId,
    reply_count: row.reply_count ?? 0,
    last_reply_at: 0,
    participants: null,
    metadata: {},
  };
}

/** One post with its thread's reply count; deleted posts only when asked for. */
export async function getPostRow(
  db: Database,
  id: string,
  options: { includeDeleted?: boolean; client?: Queryable } = {},
): Promise<PostRow | null> {
  const sql = `${SELECT_POSTS} WHERE p.id = $1${options.includeDeleted ? '' : ' AND p.delete_at = 0'}`;
  const { rows } = options.client
    ? await options.client.query<PostRow>(sql, [id])
    : await db.readFresh<PostRow>('PostStore.GetSingle', sql, [id]);
  return rows[0] ?? null;
}

/** Accumulates a PostList: `order` lists the page, `posts` may hold more (whole threads). */
export class PostListBuilder {
  readonly order: string[] = [];
  readonly posts = new Map<string, Post>();

  add(row: PostRow, inOrder: boolean): void {
    if (!this.posts.has(row.id)) this.posts.set(row.id, toPost(row));
    if (inOrder) this.order.push(row.id);
  }

  build(extra: Partial<PostList> = {}): PostList & { first_inaccessible_post_time: number } {
    return {
      order: this.order,
      posts: Object.fromEntries(this.posts),
      next_post_id: '',
      prev_post_id: '',
      first_inaccessible_post_time: 0,
      ...extra,
    };
  }
}

/** GET channel posts by page: newest first, plus the threads of the replies on the page. */
export async function postsPage(
  db: Database,
  channelId: string,
  page: number,
  perPage: number,
  fetchThreads: boolean,
): Promise<PostListBuilder> {
  const list = new PostListBuilder();
  const { rows } = await db.read<PostRow>(
    'PostStore.GetPosts',
    `${SELECT_POSTS} WHERE p.channel_id = $1 AND p.delete_at = 0 ORDER BY p.create_at DESC, p.id DESC LIMIT $2 OFFSET $3`,
    [channelId, perPage, page * perPage],
  );
  for (const row of rows) list.add(row, true);
  const roots = [...new Set(rows.map((r) => r.root_id).filter(Boolean))];
  await addThreads(db, 'PostStore.GetPosts', list, channelId, roots, fetchThreads);
  return list;
}

/** GET channel posts before/after a post id, paged relative to that post. */
export async function postsAround(
  db: Database,
  channelId: string,
  postId: string,
  before: boolean,
  page: number,
  perPage: number,
  fetchThreads: boolean,
): Promise<PostListBuilder> {
  const list = new PostListBuilder();
  const direction = before ? '<' : '>';
  const sort = before ? 'DESC' : 'ASC';
  const { rows } = await db.read<PostRow>(
    before ? 'PostStore.GetPostsBefore' : 'PostStore.GetPostsAfter',
    `${SELECT_POSTS} WHERE p.create_at ${direction} (SELECT create_at FROM posts WHERE id = $2)
       AND p.channel_id = $1 AND p.delete_at = 0
     ORDER BY p.create_at ${sort}, p.id ${sort} LIMIT $3 OFFSET $4`,
    [channelId, postId, perPage, page * perPage],
  );
  // "after" is selected oldest first; the list is always newest first.
  const ordered = before ? rows : [...rows].reverse();
  for (const row of ordered) list.add(row, true);
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(row.id);
    if (row.root_id) ids.add(row.root_id);
  }
  await addThreads(
    db,
    before ? 'PostStore.GetPostsBefore' : 'PostStore.GetPostsAfter',
    list,
    channelId,
    [...ids],
    fetchThreads,
  );
  return list;
}

/** Roots (and, unless skipped, every reply) of the given threads, outside `order`. */
async function addThreads(
  db: Database,
  method: string,
  list: PostListBuilder,
  channelId: string,
  rootIds: string[],
  fetchThreads: boolean,
): Promise<void> {
  if (rootIds.length === 0) return;
  const match = fetchThreads ? '(p.id = ANY($2) OR p.root_id = ANY($2))' : 'p.id = ANY($2)';
  const { rows } = await db.read<PostRow>(
    method,
    `${SELECT_POSTS} WHERE p.channel_id = $1 AND p.delete_at = 0 AND ${match} ORDER BY p.create_at`,
    [channelId, rootIds],
  );
  for (const row of rows) list.add(row, false);
}

/**
 * GET channel posts since a time: everything created, edited or deleted after it (deleted posts
 * and edit-history copies included), plus the roots of those posts; at most 1000.
 */
export async function postsSince(db: Database, channelId: string, since: number): Promise<PostListBuilder> {
  const list = new PostListBuilder();
  const { rows } = await db.read<PostRow>(
    'PostStore.GetPostsSince',
    `WITH changed AS (
       SELECT id, root_id FROM posts WHERE channel_id = $1 AND update_at > $2 LIMIT 1000
     )
     ${SELECT_POSTS} WHERE p.id IN (SELECT id FROM changed UNION SELECT root_id FROM changed WHERE root_id <> '')
     ORDER BY p.create_at DESC, p.id DESC`,
    [channelId, since],
  );
  for (const row of rows) list.add(row, row.update_at > since);
  return list;
}

/** The newest post before (or oldest after) a time: the list's prev/next cursors. */
export async function postIdAroundTime(
  db: Database,
  channelId: string,
  time: number,
  before: boolean,
): Promise<string> {
  const { rows } = await db.write<{ id: string }>(
    before ? 'PostStore.GetPostIdBeforeTime' : 'PostStore.GetPostIdAfterTime',
    `SELECT id FROM posts WHERE channel_id = $1 AND delete_at = 0 AND create_at ${before ? '<' : '>'} $2
     ORDER BY create_at ${before ? 'DESC' : 'ASC'} LIMIT 1`,
    [channelId, time],
  );
  return rows[0]?.id ?? '';
}

export interface ThreadOptions {
  direction: 'up' | 'down';
  perPage: number;
  fromCreateAt: number;
  fromPost: string;
  skipFetchThreads: boolean;
}

/**
 * GET a post's thread: the post first, then the root and replies sorted by the direction,
 * `perPage` at a time (0 = all) with `has_next`. Null when the post does not exist.
 */
export async function threadPosts(
  db: Database,
  postId: string,
  options: ThreadOptions,
): Promise<{ list: PostListBuilder; hasNext: boolean } | null> {
  const post = await getPostRow(db, postId);
  if (!post) return null;
  const list = new PostListBuilder();
  list.add(post, true);
  if (options.skipFetchThreads) return { list, hasNext: false };
  const rootId = post.root_id || post.id;
  const sort = options.direction === 'up' ? 'DESC' : 'ASC';
  const params: unknown[] = [rootId];
  let from = '';
  if (options.fromCreateAt > 0) {
    const op = options.direction === 'down' ? '>' : '<';
    params.push(options.fromCreateAt);
    from = ` AND (p.create_at ${op} $2`;
    if (options.fromPost) {
      params.push(options.fromPost);
      from += ` OR (p.create_at = $2 AND p.id ${op} $3)`;
    }
    from += ')';
  }
  let limit = '';
  if (options.perPage > 0) {
    params.push(options.perPage + 1);
    limit = ` LIMIT $${params.length}`;
  }
  const { rows } = await db.read<PostRow>(
    'PostStore.Get',
    `${SELECT_POSTS} WHERE (p.id = $1 OR p.root_id = $1) AND p.delete_at = 0${from}
     ORDER BY p.create_at ${sort}, p.id ${sort}${limit}`,
    params,
  );
  const hasNext = options.perPage > 0 && rows.length === options.perPage + 1;
  for (const row of hasNext ? rows.slice(0, -1) : rows) {
    if (row.id !== postId) list.add(row, true);
  }
  return { list, hasNext };
}

/**
 * Mattermost's PreparePostForClient, reduced to what the double stores: reactions and file
 * infos go into `metadata` (both omitted when empty).
 */
export async function addMetadata(
  db: Database,
  posts: Iterable<Post>,
  options: { primary?: boolean } = {},
): Promise<void> {
  const byId = new Map<string, Post>();
  for (const post of posts) byId.set(post.id, post);
  if (byId.size === 0) return;
  const ids = [...byId.keys()];
  // Right after a write (a new post's files) the replica may not have the rows yet.
  const read = options.primary ? db.write.bind(db) : db.read.bind(db);
  const [reactions, files] = await Promise.all([
    read<ReactionRow>(
      'ReactionStore.GetForPostSince',
      `SELECT ${REACTION_COLUMNS} FROM reactions WHERE post_id = ANY($1) ORDER BY create_at`,
      [ids],
    ),
    read<FileInfoRow>(
      'FileInfoStore.GetForPost',
      `SELECT ${FILE_INFO_COLUMNS} FROM file_infos WHERE post_id = ANY($1) AND delete_at = 0 ORDER BY create_at`,
      [ids],
    ),
  ]);
  const metadataOf = (postId: string) => byId.get(postId)?.metadata;
  for (const row of reactions.rows) {
    const metadata = metadataOf(row.post_id);
    if (!metadata) continue;
    const list = (metadata.reactions ?? []) as Reaction[];
    list.push(toReaction(row));
    metadata.reactions = list;
  }
  for (const row of files.rows) {
    const metadata = metadataOf(row.post_id);
    if (!metadata) continue;
    const list = (metadata.files ?? []) as unknown[];
    list.push(toFileInfo(row));
    metadata.files = list;
  }
}
