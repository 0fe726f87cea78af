import { type Action, screenChannel } from './action.js';
import { composeMessage } from './compose-message.js';

/** EditPost (load-test-ng 0.04; simulcontroller/actions.go editPost): MSG, then `PUT /posts/{id}/patch` of an own post. */
export const editPost: Action = {
  name: 'edit_post',
  needsLogin: true,
  async run(user) {
    const post = user.rng.pick(user.own);
    if (!post) return; // nothing of theirs to edit
    const channelId = screenChannel(user);
    const channel = user.channels.get(post.channelId) ?? user.channels.get(channelId);
    const message = channel ? await composeMessage(user, channel) : 'edited';
    await user.call('PUT', `/posts/${post.id}/patch`, { message });
  },
};
