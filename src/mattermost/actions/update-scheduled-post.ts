import { messageText } from '../message-text.js';
import type { Action } from './action.js';

/** UpdateScheduledPost (load-test-ng 0.001, server ≥ 10.3): new text for a scheduled post the client holds. */
export const updateScheduledPost: Action = {
  name: 'update_scheduled_post',
  needsLogin: true,
  async run(user) {
    const held = user.rng.pick(user.store.scheduled);
    if (!held) return;
    held.message = messageText(user.rng);
    await user.call('PUT', `/posts/schedule/${held.id}`, {
      id: held.id,
      channel_id: held.channelId,
      message: held.message,
      scheduled_at: Date.now() + 2 * 86_400_000,
    });
  },
};
