import type { Action } from './action.js';

const MAX_IDS = 50;

/**
 * The periodic status fetch (every 60 s in the web app) for the user and the authors on screen.
 * Not part of the action mix: the user model runs it on a timer.
 */
export const getStatuses: Action = {
  name: 'get_statuses',
  needsLogin: true,
  async run(user) {
    const ids = new Set<string>([user.me.id]);
    for (const p of user.recent) {
      if (ids.size >= MAX_IDS) break;
      ids.add(p.userId);
    }
    await user.client.getStatusesByIds([...ids]);
  },
};
