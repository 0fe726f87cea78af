import type { RequestContext } from '../http/context.js';
import { AppError, forbidden } from '../http/errors.js';
import type { Services } from '../services.js';
import { type ChannelRow, requireChannel, requireChannelAccess } from '../store/channels.js';
import type { Database } from '../store/db.js';
import { getPostRow, type PostRow } from '../store/posts.js';
import { isSystemAdmin } from '../store/users.js';

// Permission checks shared by the post, thread, reaction, file and draft routes.

export function isAdmin(ctx: RequestContext): boolean {
  return isSystemAdmin(ctx.me.roles);
}

/** SessionHasPermissionToUser: the caller themself, or a system admin (edit_other_users). */
export function requireSelfOrAdmin(ctx: RequestContext, userId: string): void {
  if (userId !== ctx.me.user_id && !isAdmin(ctx)) throw forbidden('edit_other_users');
}

export function postNotFound(postId: string): AppError {
  return new AppError('app.post.get.app_error', 'Unable to get the post.', 404, `id=${postId}`);
}

/**
 * Membership read on the primary: a member added a moment ago (possibly on another node) must
 * be able to post at once, whatever the replica's lag.
 */
export async function isMemberOnPrimary(db: Database, channelId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.write(
    'ChannelStore.GetMember',
    'SELECT 1 FROM channel_members WHERE channel_id = $1 AND user_id = $2',
    [channelId, userId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Channel-scoped permissions (create_post, upload_file, add_reaction…): channel members and
 * system admins; anyone else, and a channel that does not exist, is 403.
 */
export async function requireChannelPermission(
  ctx: RequestContext,
  s: Services,
  channelId: string,
  permission: string,
): Promise<void> {
  if (isAdmin(ctx)) return;
  if (!(await isMemberOnPrimary(s.db, channelId, ctx.me.user_id))) throw forbidden(permission);
}

/** SessionHasPermissionToReadChannel: members, team members for open channels, system admins. */
export async function readableChannel(
  ctx: RequestContext,
  s: Services,
  channelId: string,
): Promise<ChannelRow> {
  if (isAdmin(ctx)) return requireChannel(s.db, channelId);
  return requireChannelAccess(s.db, channelId, ctx.me.user_id);
}

/** GetPostIfAuthorized: the post (404 when missing or deleted) if the caller may read its channel. */
export async function readablePost(
  ctx: RequestContext,
  s: Services,
  postId: string,
  includeDeleted = false,
): Promise<{ post: PostRow; channel: ChannelRow }> {
  const post = await getPostRow(s.db, postId, { includeDeleted });
  if (!post) throw postNotFound(postId);
  return { post, channel: await readableChannel(ctx, s, post.channel_id) };
}

/** SessionHasPermissionToChannelByPost: a member of the post's channel (or admin); else 403. */
export async function requirePermissionByPost(
  ctx: RequestContext,
  s: Services,
  postId: string,
  permission: string,
): Promise<PostRow> {
  const post = await getPostRow(s.db, postId, { includeDeleted: true });
  if (!post) throw forbidden(permission);
  await requireChannelPermission(ctx, s, post.channel_id, permission);
  return post;
}
