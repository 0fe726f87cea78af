import { type Action, screenChannel } from './action.js';

/** `user_typing` over the WebSocket in the channel on screen (no REST request). */
export const typing: Action = {
  name: 'typing',
  needsLogin: true,
  async run(user) {
    user.session.typing(screenChannel(user));
  },
};
