import type { Action } from './action.js';

/** DeleteChannelBookark (load-test-ng 0.0001, server ≥ 10.0): delete a bookmark the client holds. */
export const deleteChannelBookmark: Action = {
  name: 'delete_channel_bookmark',
  needsLogin: true,
  async run(user) {
    const held = user.store.bookmarks.pop();
    if (!held || !user.store.features.bookmarks) return;
    await user.call('DELETE', `/channels/${held.channelId}/bookmarks/${held.id}`);
  },
};
