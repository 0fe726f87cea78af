import type { Action } from './action.js';
import { createChannelWithDialog } from './new-channel.js';

/**
 * CreatePrivateChannel (load-test-ng 0.0002; simulcontroller/actions.go): `POST /channels` (type P),
 * ADD-MEMBERS, then 1–4 of the users offered added one by one.
 */
export const createPrivateChannel: Action = {
  name: 'create_private_channel',
  needsLogin: true,
  async run(user) {
    const { channelId, offered } = await createChannelWithDialog(user, 'P');
    const count = Math.min(offered.length, 1 + user.rng.int(4));
    for (const id of offered.slice(0, count)) {
      await user.call('POST', `/channels/${channelId}/members`, { user_id: id });
    }
  },
};
