import { type Action, screenChannel } from './action.js';

/** The latest 30 posts of the channel on screen (for fixed action loops). */
export const getPosts: Action = {
  name: 'get_posts',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    user.show(channelId, await user.client.getPosts(channelId, 0, 30));
  },
};
