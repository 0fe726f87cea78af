import { messageText } from '../message-text.js';
import { type Action, screenChannel } from './action.js';

/** Edit one of the user's own recent posts (looked for on screen when none is remembered). */
export const editPost: Action = {
  name: 'edit_post',
  needsLogin: true,
  async run(user) {
    let post = user.rng.pick(user.own);
    if (!post) {
      const channelId = screenChannel(user);
      user.show(channelId, await user.client.getPosts(channelId, 0, 30));
      post = user.rng.pick(user.recent.filter((p) => p.userId === user.me.id));
    }
    if (!post) return; // nothing of theirs to edit: the fetch was the whole action
    await user.client.patchPost({ id: post.id, message: `${messageText(user.rng)} (edited)` });
  },
};
