import type { Action } from './action.js';

/** DeleteScheduledPost (load-test-ng 0.001, server ≥ 10.3): delete a scheduled post the client holds. */
export const deleteScheduledPost: Action = {
  name: 'delete_scheduled_post',
  needsLogin: true,
  async run(user) {
    const held = user.store.scheduled.pop();
    if (!held) return;
    await user.call('DELETE', `/posts/schedule/${held.id}`);
  },
};
