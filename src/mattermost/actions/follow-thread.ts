import type { SimulatedUser } from '../simulated-user.js';
import { type Action, somePostOnScreen } from './action.js';

/** FollowThread (load-test-ng 0.0005; simulcontroller/actions.go): with collapsed threads, `PUT …/threads/{id}/following`. */
export const followThread: Action = {
  name: 'follow_thread',
  needsLogin: true,
  async run(user) {
    const rootId = await threadToFollow(user);
    if (!rootId) return;
    await user.call('PUT', `/users/${user.me.id}/teams/${user.team.id}/threads/${rootId}/following`);
  },
};

/** The thread FollowThread and UnfollowThread act on: a recent post's root, or one on screen. */
export async function threadToFollow(user: SimulatedUser): Promise<string | undefined> {
  if (!user.store.features.crt) return undefined;
  const known = user.rng.pick(user.recent);
  return known ? known.rootId || known.id : await somePostOnScreen(user);
}
