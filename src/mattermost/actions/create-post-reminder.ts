import { type Action, somePostOnScreen } from './action.js';

/** CreatePostReminder (load-test-ng 0.0005): a reminder on a post in ten minutes. */
export const createPostReminder: Action = {
  name: 'create_post_reminder',
  needsLogin: true,
  async run(user) {
    const postId = await somePostOnScreen(user);
    if (!postId) return;
    await user.call('POST', `/users/${user.me.id}/posts/${postId}/reminder`, {
      target_time: Math.floor(Date.now() / 1000) + 600,
      PostId: postId,
      UserId: user.me.id,
    });
  },
};
