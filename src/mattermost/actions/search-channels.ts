import type { Action } from './action.js';

/** Search the team's channels by the first letters of a channel name (the channel switcher). */
export const searchChannels: Action = {
  name: 'search_channels',
  needsLogin: true,
  async run(user) {
    const name = user.rng.pick(user.teamChannels())?.name || 'town';
    await user.client.searchChannels(user.team.id, name.slice(0, 2 + user.rng.int(3)));
  },
};
