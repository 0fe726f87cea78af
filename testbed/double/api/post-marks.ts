import { expectStringArray } from '../http/body.js';
import { ok, statusOk } from '../http/context.js';
import { invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { addMetadata, PostListBuilder, type PostRow, SELECT_POSTS, toPost } from '../store/posts.js';
import { idParam, userIdParam } from './params.js';
import { readableChannel, readablePost } from './post-access.js';

// Posts by id list (the web app's permalink and thread previews), pinning and the pinned and
// flagged (saved) lists of the right-hand side.

const IDS_MAX = 1000;

export function registerPostMarkRoutes(api: ApiRouter): void {
  // getPostsByIds: the posts the caller may read; missing or unreadable ones are left out.
  api.post('/api/v4/posts/ids', 'getPostsByIds', async (ctx, s) => {
    const ids = expectStringArray(await ctx.json('post_ids'), 'post_ids');
    if (ids.length === 0 || ids.length > IDS_MAX) throw invalidBodyParam('post_ids');
    const { rows } = await s.db.read<PostRow>(
      'PostStore.GetPostsByIds',
      `${SELECT_POSTS} WHERE p.id = ANY($1) AND p.delete_at = 0 ORDER BY p.create_at DESC`,
      [ids],
    );
    const readable: PostRow[] = [];
    for (const row of rows) {
      try {
        await readableChannel(ctx, s, row.channel_id);
        readable.push(row);
      } catch {
        // not readable: omitted, as Mattermost does
      }
    }
    const posts = readable.map((r) => toPost(r));
    await addMetadata(s.db, posts);
    return ok(posts);
  });

  for (const pinned of [true, false]) {
    api.post(
      `/api/v4/posts/:post_id/${pinned ? 'pin' : 'unpin'}`,
      pinned ? 'pinPost' : 'unpinPost',
      async (ctx, s) => {
        const postId = idParam(ctx, 'post_id');
        await readablePost(ctx, s, postId);
        await s.db.write(
          'PostStore.Overwrite',
          'UPDATE posts SET is_pinned = $2, update_at = $3 WHERE id = $1',
          [postId, pinned, Date.now()],
        );
        return statusOk;
      },
    );
  }

  api.get('/api/v4/channels/:channel_id/pinned', 'getPinnedPosts', async (ctx, s) => {
    const channelId = idParam(ctx, 'channel_id');
    await readableChannel(ctx, s, channelId);
    const { rows } = await s.db.read<PostRow>(
      'PostStore.GetPinnedPosts',
      `${SELECT_POSTS} WHERE p.channel_id = $1 AND p.is_pinned AND p.delete_at = 0 ORDER BY p.create_at DESC`,
      [channelId],
    );
    const list = new PostListBuilder();
    for (const row of rows) list.add(row, true);
    await addMetadata(s.db, list.posts.values());
    return ok(list.build());
  });

  // Saved posts are flagged_post preferences naming readable posts.
  api.get('/api/v4/users/:user_id/posts/flagged', 'getFlaggedPostsForUser', async (ctx, s) => {
    const userId = userIdParam(ctx);
    const { page, perPage } = ctx.paging();
    const { rows } = await s.db.read<PostRow>(
      'PostStore.GetFlaggedPosts',
      `${SELECT_POSTS} WHERE p.delete_at = 0 AND p.id IN (SELECT name FROM preferences WHERE user_id = $1 AND category = 'flagged_post')
         AND p.channel_id IN (SELECT channel_id FROM channel_members WHERE user_id = $1)
       ORDER BY p.create_at DESC LIMIT $2 OFFSET $3`,
      [userId, perPage, page * perPage],
    );
    const list = new PostListBuilder();
    for (const row of rows) list.add(row, true);
    await addMetadata(s.db, list.posts.values());
    return ok(list.build());
  });
}
