import { BodyReader } from '../http/body.js';
import { ok, type RequestContext, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId, newId } from '../model/ids.js';
import type { Post } from '../model/types.js';
import { sendPushNotifications } from '../push/sender.js';
import type { Services } from '../services.js';
import { CHANNEL_COLUMNS, type ChannelRow } from '../store/channels.js';
import { deletePost, type NewPost, type PostChange, savePost, updatePost } from '../store/post-save.js';
import { addMetadata, getPostRow, type PostRow, toPost } from '../store/posts.js';
import { idParam } from './params.js';
import { isAdmin, postNotFound, readablePost, requireChannelPermission } from './post-access.js';
import { publishPostDeleted, publishPostEdited, publishPosted, publishThreadUpdates } from './post-events.js';
import { registerPostListRoutes } from './post-lists.js';
import { mentionKeys, parseHashtags } from './post-text.js';

const POST_MESSAGE_MAX_RUNES = 16383;
const POST_FILE_IDS_MAX_RUNES = 300;
/** How long an acknowledged pending_post_id deduplicates retries (Mattermost: 30 s). */
const PENDING_POST_TTL_MS = 30_000;
/** ack-before-commit: how long the unsafe mode leaves an acknowledged post uncommitted. */
const UNSAFE_COMMIT_DELAY_MS = 300;

function invalidPost(field: string, message: string): AppError {
  return new AppError(`model.post.is_valid.${field}.app_error`, message, 400);
}

function validateMessage(message: string): void {
  if ([...message].length > POST_MESSAGE_MAX_RUNES) throw invalidPost('msg', 'Invalid Message.');
}

function rootIdError(): AppError {
  return new AppError('api.post.create_post.root_id.app_error', 'Invalid RootId parameter.', 400);
}

/**
 * Posting is idempotent per pending_post_id on a node for 30 s, like Mattermost's
 * seenPendingPostIdsCache: a retry gets the post the first attempt created.
 */
class PendingPostIds {
  private readonly seen = new Map<string, { postId: string; expires: number }>();

  /** undefined: claimed now; '': another request is still saving it; else the saved post's id. */
  claim(pendingPostId: string): string | undefined {
    const now = Date.now();
    if (this.seen.size > 25_000) {
      for (const [k, v] of this.seen) if (v.expires < now) this.seen.delete(k);
    }
    const entry = this.seen.get(pendingPostId);
    if (entry && entry.expires >= now) return entry.postId;
    this.seen.set(pendingPostId, { postId: '', expires: now + PENDING_POST_TTL_MS });
    return undefined;
  }

  saved(pendingPostId: string, postId: string): void {
    this.seen.set(pendingPostId, { postId, expires: Date.now() + PENDING_POST_TTL_MS });
  }

  release(pendingPostId: string): void {
    this.seen.delete(pendingPostId);
  }
}

const pendingPosts = new PendingPostIds();

export async function postingContext(s: Services, channelId: string, userId: string) {
  const { rows } = await s.db.write<ChannelRow & { is_member: boolean; sender_username: string | null }>(
    'ChannelStore.Get',
    `SELECT ${CHANNEL_COLUMNS},
            EXISTS (SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2) AS is_member,
            (SELECT username FROM users WHERE id = $2) AS sender_username
       FROM channels WHERE id = $1`,
    [isValidId(channelId) ? channelId : '', userId],
  );
  const row = rows[0];
  if (!row) return { channel: null, isMember: false, senderUsername: '' };
  const { is_member, sender_username, ...channel } = row;
  return { channel: channel as ChannelRow, isMember: is_member, senderUsername: sender_username ?? '' };
}

/** Members mentioned by the message: @username, @channel/@all/@here, and every DM/GM member. */
async function mentionedMembers(
  s: Services,
  channel: ChannelRow,
  senderId: string,
  message: string,
): Promise<string[]> {
  const keys = mentionKeys(message);
  const everyone = keys.channelWide || channel.type === 'D' || channel.type === 'G';
  if (!everyone && keys.usernames.length === 0) return [];
  const { rows } = await s.db.write<{ id: string }>(
    'ChannelStore.GetAllChannelMembersNotifyPropsForChannel',
    `SELECT u.id FROM channel_members cm JOIN users u ON u.id = cm.user_id
      WHERE cm.channel_id = $1 AND u.id <> $2 AND ($3 OR u.username = ANY($4)) ORDER BY u.id`,
    [channel.id, senderId, everyone, keys.usernames],
  );
  return rows.map((r) => r.id);
}

function readNewPost(body: BodyReader, ctx: { userId: string; admin: boolean }) {
  const fileIds = body.optionalStringArray('file_ids');
  if (JSON.stringify(fileIds).length > POST_FILE_IDS_MAX_RUNES)
    throw invalidPost('file_ids', 'Invalid file ids.');
  const createAt = body.optionalNumber('create_at');
  return {
    channel_id: body.optionalString('channel_id'),
    root_id: body.optionalString('root_id'),
    message: body.optionalString('message'),
    type: body.optionalString('type'),
    props: body.optionalObject('props'),
    file_ids: fileIds,
    pending_post_id: body.optionalString('pending_post_id'),
    // Only system admins may backdate a post (imports); everyone else gets "now".
    create_at: ctx.admin && createAt > 0 ? createAt : 0,
    user_id: ctx.userId,
  };
}

/** A JSON object body plus which keys it carries (PATCH semantics: absent means unchanged). */
async function bodyWithKeys(ctx: RequestContext, name: string) {
  const raw = await ctx.json(name);
  const body = new BodyReader(raw, name);
  const present = raw as Record<string, unknown>;
  return { body, has: (key: string) => present[key] !== undefined && present[key] !== null };
}

export function registerPostRoutes(api: ApiRouter): void {
  api.post('/api/v4/posts', 'createPost', async (ctx, s) => {
    const input = readNewPost(await ctx.object('post'), { userId: ctx.me.user_id, admin: isAdmin(ctx) });
    // One primary read for the hot path: the channel, the caller's membership and username.
    const { channel, isMember, senderUsername } = await postingContext(s, input.channel_id, input.user_id);
    // create_post (and upload_file for attachments): channel members and system admins.
    if (!isMember && !isAdmin(ctx))
      throw forbidden(input.file_ids.length > 0 ? 'upload_file' : 'create_post');
    if (!channel) throw invalidParam('post.channel_id');
    if (input.type.startsWith('system_')) throw invalidParam('post.type');
    if (channel.delete_at !== 0) {
      throw new AppError(
        'api.post.create_post.can_not_post_to_deleted.error',
        'Can not post to deleted channel.',
        400,
      );
    }
    const pending = input.pending_post_id;
    if (pending) {
      const seen = pendingPosts.claim(pending);
      if (seen === '') {
        throw new AppError(
          'api.post.deduplicate_create_post.pending',
          'Post rejected by server. Try again later.',
          500,
        );
      }
      if (seen) {
        const existing = await getPostRow(s.db, seen, { client: s.db.primary });
        if (existing) return ok(toPost(existing, pending), 201);
        // The first attempt's post is gone (deleted): this attempt creates a new one.
        pendingPosts.release(pending);
        pendingPosts.claim(pending);
      }
    }
    try {
      const post = await createPost(s, channel, senderUsername, input);
      if (pending) pendingPosts.saved(pending, post.id);
      return ok(post, 201);
    } catch (err) {
      if (pending) pendingPosts.release(pending);
      throw err;
    }
  });

  api.get('/api/v4/posts/:post_id', 'getPost', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    const includeDeleted = ctx.query.get('include_deleted') === 'true';
    if (includeDeleted && !isAdmin(ctx)) throw forbidden('manage_system');
    const { post } = await readablePost(ctx, s, postId, includeDeleted);
    const out = toPost(post);
    await addMetadata(s.db, [out]);
    return ok(out);
  });

  // PUT replaces the editable fields: a missing message or props empties them, as in Mattermost.
  api.put('/api/v4/posts/:post_id', 'updatePost', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    const { body, has } = await bodyWithKeys(ctx, 'post');
    if (body.optionalString('id') !== postId) throw invalidParam('id');
    const message = body.optionalString('message');
    const fileIds = has('file_ids') ? body.optionalStringArray('file_ids') : null;
    const props = body.optionalObject('props');
    const isPinned = body.optionalBoolean('is_pinned');
    return editPost(ctx, s, postId, (original) => ({
      message,
      is_pinned: isPinned,
      file_ids: fileIds ?? original.file_ids,
      props,
      hashtags: parseHashtags(message),
    }));
  });

  api.put('/api/v4/posts/:post_id/patch', 'patchPost', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    const { body, has } = await bodyWithKeys(ctx, 'post');
    return editPost(ctx, s, postId, (original) => {
      const message = has('message') ? body.optionalString('message') : original.message;
      return {
        message,
        is_pinned: has('is_pinned') ? body.optionalBoolean('is_pinned') : original.is_pinned,
        file_ids: has('file_ids') ? body.optionalStringArray('file_ids') : original.file_ids,
        props: has('props') ? body.optionalObject('props') : original.props,
        hashtags: parseHashtags(message),
      };
    });
  });

  api.delete('/api/v4/posts/:post_id', 'deletePost', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    if (ctx.query.get('permanent') === 'true') {
      throw new AppError(
        'api.post.delete_post.not_enabled.app_error',
        'Cannot delete post, ServiceSettings.EnableAPIPostDeletion is not enabled.',
        501,
        `postId=${postId}`,
      );
    }
    const post = await getPostRow(s.db, postId, { client: s.db.primary });
    if (!post) throw postNotFound(postId);
    if (post.user_id === ctx.me.user_id)
      await requireChannelPermission(ctx, s, post.channel_id, 'delete_post');
    else if (!isAdmin(ctx)) throw forbidden('delete_others_posts');
    const deleted = await deletePost(s.db, post, ctx.me.user_id);
    publishPostDeleted(s, toPost(deleted), ctx.me.user_id);
    return statusOk;
  });

  registerPostListRoutes(api);
}

/** Saves the post (or, in the unsafe ack-before-commit mode, acknowledges it first). */
export async function createPost(
  s: Services,
  channel: ChannelRow,
  senderUsername: string,
  input: ReturnType<typeof readNewPost>,
): Promise<Post> {
  let rootAuthorId = '';
  if (input.root_id) {
    // On the primary, like Mattermost's RequestContextWithMaster: the root may be brand new.
    const root = isValidId(input.root_id)
      ? await getPostRow(s.db, input.root_id, { client: s.db.primary })
      : null;
    if (!root) throw rootIdError();
    if (root.channel_id !== channel.id) {
      throw new AppError(
        'api.post.create_post.channel_root_id.app_error',
        'Invalid ChannelId for RootId parameter.',
        400,
      );
    }
    if (root.root_id) throw rootIdError();
    rootAuthorId = root.user_id;
  }
  validateMessage(input.message);
  const mentions = await mentionedMembers(s, channel, input.user_id, input.message);
  const draft: NewPost = {
    id: newId(),
    channel_id: channel.id,
    user_id: input.user_id,
    root_id: input.root_id,
    message: input.message,
    type: input.type,
    props: input.props,
    hashtags: parseHashtags(input.message),
    file_ids: input.file_ids,
    create_at: input.create_at || Date.now(),
  };
  const options = { rootAuthorId, mentionedIds: mentions };

  if (s.config.unsafe.has('ack-before-commit')) {
    // Deliberately unsafe: answer and broadcast now, commit later; a crash or failover in
    // between loses a post the client was told exists. Used to prove the loss audit works.
    const provisional = toPost(
      { ...draft, original_id: '', is_pinned: false, update_at: draft.create_at, edit_at: 0, delete_at: 0 },
      input.pending_post_id,
    );
    publishPosted(s, provisional, { channel, senderUsername, mentions, followers: [] });
    setTimeout(() => {
      savePost(s.db, draft, options).catch((err: unknown) =>
        s.log.error('ack-before-commit: acknowledged post was not saved', err, { post_id: draft.id }),
      );
    }, UNSAFE_COMMIT_DELAY_MS);
    return provisional;
  }

  const saved = await savePost(s.db, draft, options);
  const post = toPost(saved.row, input.pending_post_id);
  if (post.file_ids.length > 0) await addMetadata(s.db, [post], { primary: true });
  publishPosted(s, post, { channel, senderUsername, mentions, followers: saved.followers });
  sendPushNotifications(s, post, { channel, senderUsername, mentions });
  if (post.root_id) publishThreadUpdates(s, post.root_id, channel.team_id);
  s.linkPreviews?.preview(post.message, post.id);
  return post;
}

/** updatePost and patchPost: the author (or a system admin) changes a live post. */
async function editPost(
  ctx: RequestContext,
  s: Services,
  postId: string,
  change: (original: PostRow) => PostChange,
) {
  const original = await getPostRow(s.db, postId, { client: s.db.primary });
  // Mattermost answers a missing post here with a permission error, not 404.
  if (!original) throw forbidden('edit_post');
  await requireChannelPermission(ctx, s, original.channel_id, 'edit_post');
  if (original.user_id !== ctx.me.user_id && !isAdmin(ctx)) throw forbidden('edit_others_posts');
  const next = change(original);
  validateMessage(next.message);
  const row = await updatePost(s.db, original, next);
  const post = toPost(row);
  await addMetadata(s.db, [post], { primary: true });
  publishPostEdited(s, post);
  return ok(post);
}
