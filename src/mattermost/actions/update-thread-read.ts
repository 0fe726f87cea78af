import type { Action } from './action.js';
import { threadPage } from './view-global-threads.js';

/**
 * UpdateThreadRead (load-test-ng 0.3236; simulcontroller/actions.go updateThreadRead): with
 * collapsed threads, a thread the client holds (the first page fetched when none) marked read.
 */
export const updateThreadRead: Action = {
  name: 'update_thread_read',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.crt) return;
    if (user.store.threads.length === 0) await threadPage(user, false, '');
    const threadId = user.rng.pick(user.store.threads);
    if (!threadId) return;
    await user.call(
      'PUT',
      `/users/${user.me.id}/teams/${user.team.id}/threads/${threadId}/read/${Date.now()}`,
    );
  },
};
