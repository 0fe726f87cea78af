import { messageText } from '../message-text.js';
import { type Action, screenChannel } from './action.js';

/** Share of created posts that are replies (Mattermost's production figure). */
export const REPLY_SHARE = 0.18;

/** Type, then post in the channel on screen; about 18 % are replies to a post seen there. */
export const createPost: Action = {
  name: 'create_post',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    const parent = user.rng.chance(REPLY_SHARE) ? user.rng.pick(user.recent) : undefined;
    const rootId = parent ? parent.rootId || parent.id : '';
    user.session.typing(channelId, rootId);
    await user.createPost(channelId, messageText(user.rng), rootId);
  },
};
