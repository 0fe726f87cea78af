import type { Action } from './action.js';

/** SendScheduledPost (load-test-ng 0.001, server ≥ 10.3): post a held scheduled post now, then delete it. */
export const sendScheduledPost: Action = {
  name: 'send_scheduled_post',
  needsLogin: true,
  async run(user) {
    const held = user.store.scheduled.shift();
    if (!held) return;
    await user.createPost(held.channelId, held.message);
    await user.call('DELETE', `/posts/schedule/${held.id}`);
  },
};
