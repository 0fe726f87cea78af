import { type Action, somePostOnScreen } from './action.js';

/** AckToPost (load-test-ng 0.0001, server ≥ 8.0): acknowledge a post that asked for it (one on screen). */
export const ackToPost: Action = {
  name: 'ack_to_post',
  needsLogin: true,
  async run(user) {
    const postId = user.store.ackRequests.pop() ?? (await somePostOnScreen(user));
    if (!postId) return;
    await user.call('POST', `/users/${user.me.id}/posts/${postId}/ack`);
  },
};
