import type { Action } from './action.js';
import { threadToFollow } from './follow-thread.js';

/** UnfollowThread (load-test-ng 0.005; simulcontroller/actions.go): with collapsed threads, `DELETE …/threads/{id}/following`. */
export const unfollowThread: Action = {
  name: 'unfollow_thread',
  needsLogin: true,
  async run(user) {
    const rootId = await threadToFollow(user);
    if (!rootId) return;
    await user.call('DELETE', `/users/${user.me.id}/teams/${user.team.id}/threads/${rootId}/following`);
  },
};
