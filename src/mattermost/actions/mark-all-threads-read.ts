import type { Action } from './action.js';

/** MarkAllThreadsInTeamAsRead (load-test-ng 0.0001): with collapsed threads, every thread of the team read. */
export const markAllThreadsRead: Action = {
  name: 'mark_all_threads_read',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.crt) return;
    await user.call('PUT', `/users/${user.me.id}/teams/${user.team.id}/threads/read`);
  },
};
