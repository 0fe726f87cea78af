import type { Action } from './action.js';
import { screenChannel } from './action.js';
import { uploadFiles } from './compose-message.js';

/** AddChannelBookmark (load-test-ng 0.0003, server ≥ 10.0; simulcontroller/bookmarks.go): half are files. */
export const addChannelBookmark: Action = {
  name: 'add_channel_bookmark',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.bookmarks) return;
    const channelId = screenChannel(user);
    const file = user.fileUploads && user.rng.chance(0.5);
    const fileId = file ? (await uploadFiles(user, channelId, 1))[0] : undefined;
    const created = await user.call<{ id: string }>('POST', `/channels/${channelId}/bookmarks`, {
      channel_id: channelId,
      display_name: `bookmark ${user.rng.int(1_000_000)}`,
      ...(fileId ? { type: 'file', file_id: fileId } : { type: 'link', link_url: 'https://mattermost.com' }),
    });
    user.store.remember(user.store.bookmarks, { id: created.data.id, channelId });
  },
};
