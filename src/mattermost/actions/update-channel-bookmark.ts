import type { Action } from './action.js';

/** UpdateOrAddChannelBookark (load-test-ng 0.0002, server ≥ 10.0): rename a bookmark the client holds. */
export const updateChannelBookmark: Action = {
  name: 'update_channel_bookmark',
  needsLogin: true,
  async run(user) {
    const held = user.rng.pick(user.store.bookmarks);
    if (!held || !user.store.features.bookmarks) return;
    await user.call('PATCH', `/channels/${held.channelId}/bookmarks/${held.id}`, {
      display_name: `bookmark ${user.rng.int(1_000_000)}`,
    });
  },
};
