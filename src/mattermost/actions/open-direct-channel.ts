import type { Action } from './action.js';
import { viewChannel } from './view-channel.js';

/**
 * OpenDirectOrGroupChannel (load-test-ng 0.9843; simulcontroller/actions.go): VIEW of a joined DM
 * or GM. A user in none yet opens a DM with someone first (`POST /channels/direct`).
 */
export const openDirectChannel: Action = {
  name: 'open_direct_channel',
  needsLogin: true,
  async run(user) {
    let target = user.rng.pick(user.directChannels());
    if (!target) {
      const other = user.rng.pick(user.directory.filter((u) => u.id !== user.me.id));
      if (!other) return;
      const channel = await user.client.createDirectChannel([user.me.id, other.id]);
      target = { id: channel.id, type: channel.type, teamId: '', name: channel.name };
      user.addChannel(target);
      user.delivery.joinUsers(channel.id, [user.me.id, other.id]);
    }
    await viewChannel(user, target);
  },
};
