import { type Action, somePostOnScreen } from './action.js';

/** UnfollowThread (load-test-ng 0.005; simulcontroller/actions.go): with collapsed threads, `DELETE …/threads/{id}/following`. */
export const unfollowThread: Action = {
  name: 'unfollow_thread',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.crt) return;
    const known = user.rng.pick(user.recent);
    const rootId = known ? known.rootId || known.id : await somePostOnScreen(user);
    if (!rootId) return;
    await user.call('DELETE', `/users/${user.me.id}/teams/${user.team.id}/threads/${rootId}/following`);
  },
};
