import type { Action } from './action.js';

/**
 * SearchGroupChannels (load-test-ng 0.0204; simulcontroller/actions.go searchGroupChannels): the
 * first 1–4 characters of a username typed, `POST /channels/group/search` for each.
 */
export const searchGroupChannels: Action = {
  name: 'search_group_channels',
  needsLogin: true,
  async run(user) {
    const name = user.rng.pick(user.directory)?.username ?? user.me.username;
    const chars = Math.min(name.length, 1 + user.rng.int(4));
    const pace = 100 + user.rng.int(200);
    for (let i = 1; i <= chars; i++) {
      await user.pause(pace);
      await user.call('POST', '/channels/group/search', { term: name.slice(0, i) });
    }
  },
};
