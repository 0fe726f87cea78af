import { type Action, screenChannel } from './action.js';

/** Scroll up: the 30 posts before the oldest one on screen. */
export const scrollChannel: Action = {
  name: 'scroll_channel',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    const oldest = user.recent[0];
    if (!oldest) {
      user.show(channelId, await user.client.getPosts(channelId, 0, 30));
      return;
    }
    user.prependOlder(await user.client.getPostsBefore(channelId, oldest.id, 0, 30));
  },
};
