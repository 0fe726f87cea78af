import type { Action } from './action.js';

/**
 * SearchChannels (load-test-ng 0.015; simulcontroller/actions.go searchChannels): the first four
 * characters of a channel name typed, `POST /channels/search` for each prefix.
 */
export const searchChannels: Action = {
  name: 'search_channels',
  needsLogin: true,
  async run(user) {
    const name = user.rng.pick(user.teamChannels())?.name || 'town-square';
    const pace = 100 + user.rng.int(200);
    for (let i = 1; i <= Math.min(4, name.length); i++) {
      await user.pause(pace);
      await user.call('POST', '/channels/search?system_console=false', { term: name.slice(0, i) });
    }
  },
};
