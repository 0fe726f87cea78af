import { type Action, somePostOnScreen } from './action.js';

/** Open the thread of a post on screen in the right-hand side. */
export const viewThread: Action = {
  name: 'view_thread',
  needsLogin: true,
  async run(user) {
    const known = user.rng.pick(user.recent);
    const rootId = known ? known.rootId || known.id : await somePostOnScreen(user);
    if (!rootId) return;
    user.rememberList(await user.client.getPostThread(rootId, true));
  },
};
