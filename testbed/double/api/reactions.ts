import { ok, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidUrlParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { Services } from '../services.js';
import { getPostRow } from '../store/posts.js';
import { deleteReaction, reactionsForPost, saveReaction, toReaction } from '../store/reactions.js';
import { broadcastTo } from '../ws/broadcast.js';
import { idParam, userIdParam } from './params.js';
import { isAdmin, postNotFound, requirePermissionByPost } from './post-access.js';

const EMOJI_NAME = /^[a-zA-Z0-9_+-]{1,64}$/;
const EMOJI_NAME_MAX_LENGTH = 64;

function publishReaction(
  s: Services,
  event: 'reaction_added' | 'reaction_removed',
  reaction: ReturnType<typeof toReaction>,
) {
  s.events.publish({
    event,
    data: { reaction: JSON.stringify(reaction) },
    broadcast: broadcastTo({ channel_id: reaction.channel_id }),
  });
}

export function registerReactionRoutes(api: ApiRouter): void {
  api.post('/api/v4/reactions', 'saveReaction', async (ctx, s) => {
    const body = await ctx.object('reaction');
    const userId = body.optionalString('user_id');
    const postId = body.optionalString('post_id');
    const emojiName = body.optionalString('emoji_name');
    if (
      !isValidId(userId) ||
      !isValidId(postId) ||
      emojiName === '' ||
      emojiName.length > EMOJI_NAME_MAX_LENGTH
    ) {
      throw new AppError('api.reaction.save_reaction.invalid.app_error', 'Reaction is not valid.', 400);
    }
    if (userId !== ctx.me.user_id) {
      throw new AppError(
        'api.reaction.save_reaction.user_id.app_error',
        'You cannot save reaction for the other user.',
        403,
      );
    }
    await requirePermissionByPost(ctx, s, postId, 'add_reaction');
    const post = await getPostRow(s.db, postId, { client: s.db.primary });
    if (!post) throw postNotFound(postId);
    if (!EMOJI_NAME.test(emojiName)) {
      throw new AppError(
        'model.reaction.is_valid.emoji_name.app_error',
        'Invalid emoji name.',
        400,
        `emoji_name=${emojiName}`,
      );
    }
    const reaction = toReaction(
      await saveReaction(s.db, {
        user_id: userId,
        post_id: postId,
        emoji_name: emojiName,
        channel_id: post.channel_id,
      }),
    );
    publishReaction(s, 'reaction_added', reaction);
    return ok(reaction);
  });

  api.get('/api/v4/posts/:post_id/reactions', 'getReactions', async (ctx, s) => {
    const postId = idParam(ctx, 'post_id');
    await requirePermissionByPost(ctx, s, postId, 'read_channel_content');
    return ok((await reactionsForPost(s.db, postId)).map(toReaction));
  });

  api.delete(
    '/api/v4/users/:user_id/posts/:post_id/reactions/:emoji_name',
    'deleteReaction',
    async (ctx, s) => {
      const userId = userIdParam(ctx);
      const postId = idParam(ctx, 'post_id');
      const emojiName = ctx.param('emoji_name');
      if (!EMOJI_NAME.test(emojiName)) throw invalidUrlParam('emoji_name');
      await requirePermissionByPost(ctx, s, postId, 'remove_reaction');
      if (userId !== ctx.me.user_id && !isAdmin(ctx)) throw forbidden('remove_others_reactions');
      const post = await getPostRow(s.db, postId, { client: s.db.primary });
      if (!post) throw postNotFound(postId);
      const removed = await deleteReaction(s.db, { user_id: userId, post_id: postId, emoji_name: emojiName });
      if (removed) publishReaction(s, 'reaction_removed', toReaction(removed));
      return statusOk;
    },
  );
}
