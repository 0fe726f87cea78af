import type { Action } from './action.js';

/** The "Threads" view: the followed threads of the current team. */
export const viewGlobalThreads: Action = {
  name: 'view_global_threads',
  needsLogin: true,
  async run(user) {
    await loadFollowedThreads(user);
  },
};

export async function loadFollowedThreads(user: Parameters<Action['run']>[0]): Promise<void> {
  const list = await user.client.getUserThreads(user.me.id, user.team.id, { perPage: 25, extended: false });
  user.followedThreads = list.threads.map((t) => t.id).slice(0, 10);
}
