import { type Action, somePostOnScreen } from './action.js';

/** Open a permalink: the post, then its thread. */
export const clickPermalink: Action = {
  name: 'click_permalink',
  needsLogin: true,
  async run(user) {
    const postId = user.rng.pick(user.seen)?.id ?? (await somePostOnScreen(user));
    if (!postId) return;
    await user.client.getPost(postId);
    await user.client.getPostThread(postId, true);
  },
};
