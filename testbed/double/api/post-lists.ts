import type { RequestContext } from '../http/context.js';
import { ok } from '../http/context.js';
import { forbidden, invalidParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import {
  addMetadata,
  type PostListBuilder,
  postIdAroundTime,
  postsAround,
  postsPage,
  postsSince,
  threadPosts,
} from '../store/posts.js';
import { idParam } from './params.js';
import { isAdmin, postNotFound, readableChannel, readablePost } from './post-access.js';

// Reading posts in lists: a channel's posts (page, before, after, since) and a post's thread.

const PER_PAGE_MAXIMUM = 200;

function optionalIdQuery(ctx: RequestContext, name: string): string {
  const value = ctx.query.get(name) ?? '';
  if (value !== '' && !isValidId(value)) throw invalidParam(name);
  return value;
}

function optionalIntQuery(ctx: RequestContext, name: string): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw invalidParam(name);
  return n;
}

export function registerPostListRoutes(api: ApiRouter): void {
  api.get('/api/v4/channels/:channel_id/posts', 'getPostsForChannel', async (ctx, s) => {
    const channelId = idParam(ctx, 'channel_id');
    const after = optionalIdQuery(ctx, 'after');
    const before = optionalIdQuery(ctx, 'before');
    const since = optionalIntQuery(ctx, 'since');
    const fetchThreads = ctx.query.get('skipFetchThreads') !== 'true';
    if (ctx.query.get('include_deleted') === 'true' && !isAdmin(ctx)) throw forbidden('read_deleted_posts');
    const { page, perPage } = ctx.paging();
    await readableChannel(ctx, s, channelId);

    let list: PostListBuilder;
    if (since > 0) list = await postsSince(s.db, channelId, since);
    else if (after) list = await postsAround(s.db, channelId, after, false, page, perPage, fetchThreads);
    else if (before) list = await postsAround(s.db, channelId, before, true, page, perPage, fetchThreads);
    else list = await postsPage(s.db, channelId, page, perPage, fetchThreads);

    // Mattermost's AddCursorIdsForPostList: the cursors are known without a query where possible.
    let next: string | null = null;
    let prev: string | null = null;
    if (since > 0) {
      next = '';
      prev = '';
    } else if (after) {
      if (page === 0) prev = after;
      if (list.order.length < perPage) next = '';
    } else if (before) {
      if (page === 0) next = before;
      if (list.order.length < perPage) prev = '';
    }
    const newest = list.posts.get(list.order[0] ?? '');
    const oldest = list.posts.get(list.order[list.order.length - 1] ?? '');
    if (next === null) next = newest ? await postIdAroundTime(s.db, channelId, newest.create_at, false) : '';
    if (prev === null) prev = oldest ? await postIdAroundTime(s.db, channelId, oldest.create_at, true) : '';

    await addMetadata(s.db, list.posts.values());
    return ok(list.build({ next_post_id: next, prev_post_id: prev }));
  });

  api.get('/api/v4/posts/:post_id/thread', 'getPostThread', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    const perPage = optionalIntQuery(ctx, 'perPage');
    if (perPage < 0 || perPage > PER_PAGE_MAXIMUM) throw invalidParam('perPage');
    const fromCreateAt = optionalIntQuery(ctx, 'fromCreateAt');
    const fromPost = ctx.query.get('fromPost') ?? '';
    if (fromPost && fromCreateAt === 0)
      throw invalidParam('if fromPost is set, then fromCreateAt must also be set');
    const direction = ctx.query.get('direction') ?? '';
    if (direction !== '' && direction !== 'up' && direction !== 'down') throw invalidParam('direction');

    const thread = await threadPosts(s.db, postId, {
      direction: direction === 'up' ? 'up' : 'down',
      perPage,
      fromCreateAt,
      fromPost,
      skipFetchThreads: ctx.query.get('skipFetchThreads') === 'true',
    });
    if (!thread) throw postNotFound(postId);
    await readablePost(ctx, s, postId);
    await addMetadata(s.db, thread.list.posts.values());
    return ok(thread.list.build({ has_next: thread.hasNext }));
  });
}
