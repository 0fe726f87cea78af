import { type Action, somePostOnScreen } from './action.js';

/** FollowThread (load-test-ng 0.0005; simulcontroller/actions.go): with collapsed threads, `PUT …/threads/{id}/following`. */
export const followThread: Action = {
  name: 'follow_thread',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.crt) return;
    const known = user.rng.pick(user.recent);
    const rootId = known ? known.rootId || known.id : await somePostOnScreen(user);
    if (!rootId) return;
    await user.call('PUT', `/users/${user.me.id}/teams/${user.team.id}/threads/${rootId}/following`);
  },
};
