import type { Action } from './action.js';
import { switchTo } from './view-channel.js';

/**
 * SwitchTeam (load-test-ng 0.0001; simulcontroller/actions.go switchTeam): another team of the
 * user's — LOADTEAM (unreads, thread totals, sidebar categories, statuses, scheduled posts), then
 * SWITCH to one of its channels.
 */
export const switchTeam: Action = {
  name: 'switch_team',
  needsLogin: true,
  async run(user) {
    const team = user.rng.pick(user.teams.filter((t) => t.id !== user.team.id));
    if (!team) return;
    const uid = user.me.id;
    const crt = user.store.features.crt;
    user.team = team;
    user.store.threads = [];
    await user.call('GET', `/users/${uid}/teams/unread?include_collapsed_threads=${crt}`);
    await user.call('GET', `/users/${uid}/teams/${team.id}/threads?totalsOnly=true`);
    await user.call('GET', `/users/${uid}/teams/${team.id}/channels/categories`);
    await user.call('POST', '/users/status/ids', [uid]);
    if (user.store.features.scheduledPosts)
      await user.call('GET', `/posts/scheduled/team/${team.id}?includeDirectChannels=true`);
    const target = user.rng.pick(user.teamChannels());
    if (target) await switchTo(user, target);
  },
};
