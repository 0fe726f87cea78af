import type { Action } from './action.js';
import { loadFollowedThreads } from './view-global-threads.js';

/** Mark a followed thread read (opening it in the Threads view). */
export const updateThreadRead: Action = {
  name: 'update_thread_read',
  needsLogin: true,
  async run(user) {
    if (user.followedThreads.length === 0) await loadFollowedThreads(user);
    const threadId = user.rng.pick(user.followedThreads);
    if (!threadId) return; // follows no thread yet: the list fetch was the whole action
    await user.client.updateThreadReadForUser(user.me.id, user.team.id, threadId, Date.now());
  },
};
