import { type Action, screenChannel } from './action.js';
import { composeMessage, maybeAttach } from './compose-message.js';

/** Share of created posts that are replies (load-test-ng simulcontroller/actions.go createPost). */
export const REPLY_SHARE = 0.18;

/**
 * CreatePost (load-test-ng 1.0): typing, the message (MSG: maybe a mention typed with
 * autocomplete), 2 % with 1–3 attachments, then `POST /posts`; 18 % reply to a post on screen.
 */
export const createPost: Action = {
  name: 'create_post',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    const channel = user.channels.get(channelId) ?? {
      id: channelId,
      type: 'O',
      teamId: user.team.id,
      name: '',
    };
    const parent = user.rng.chance(REPLY_SHARE) ? user.rng.pick(user.recent) : undefined;
    const rootId = parent ? parent.rootId || parent.id : '';
    user.session.typing(channelId, rootId);
    const message = await composeMessage(user, channel);
    const fileIds = await maybeAttach(user, channelId);
    await user.createPost(channelId, message, rootId, fileIds);
  },
};
