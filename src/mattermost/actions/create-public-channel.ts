import type { Action } from './action.js';
import { createChannelWithDialog } from './new-channel.js';

/**
 * CreatePublicChannel (load-test-ng 0.0001; simulcontroller/actions.go): `POST /channels` (type O),
 * ADD-MEMBERS (nobody is added).
 */
export const createPublicChannel: Action = {
  name: 'create_public_channel',
  needsLogin: true,
  async run(user) {
    await createChannelWithDialog(user, 'O');
  },
};
