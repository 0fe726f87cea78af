import type { Action } from './action.js';

/** UpdateChannelBookarkSortOrder (load-test-ng 0.0002, server ≥ 10.0): with two held, move one; body a bare number. */
export const updateChannelBookmarkSortOrder: Action = {
  name: 'update_channel_bookmark_sort_order',
  needsLogin: true,
  async run(user) {
    if (user.store.bookmarks.length < 2 || !user.store.features.bookmarks) return;
    const held = user.rng.pick(user.store.bookmarks)!;
    await user.call('POST', `/channels/${held.channelId}/bookmarks/${held.id}/sort_order`, '0');
  },
};
