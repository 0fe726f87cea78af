import type { Action } from './action.js';

const MAX_IDS = 50;

/**
 * The periodic status fetch, every 60 s, of the user and the authors on screen (load-test-ng:
 * mattermost/mattermost-load-test-ng loadtest/control/simulcontroller/periodic.go, authors of the
 * 60 newest posts; the web app: channel_controller.tsx, STATUS_INTERVAL 60 s). Not part of the
 * action mix: the user model runs it on a timer.
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
