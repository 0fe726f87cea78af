import { messageText } from '../message-text.js';
import { type Action, screenChannel } from './action.js';

/** CreateAckPost (load-test-ng 0.0001, server ≥ 8.0): an urgent post asking for acknowledgements. */
export const createAckPost: Action = {
  name: 'create_ack_post',
  needsLogin: true,
  async run(user) {
    await user.call('POST', '/posts', {
      channel_id: screenChannel(user),
      message: messageText(user.rng),
      metadata: { priority: { priority: 'urgent', requested_ack: true } },
    });
  },
};
