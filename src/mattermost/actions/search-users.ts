import type { Action } from './action.js';

/** Search users by the first letters of a name, as typed in the user picker. */
export const searchUsers: Action = {
  name: 'search_users',
  needsLogin: true,
  async run(user) {
    const name = user.rng.pick(user.directory)?.username ?? user.me.username;
    const term = name.slice(0, 3 + user.rng.int(3));
    await user.client.searchUsers(term, { team_id: user.team.id, allow_inactive: false });
  },
};
