import type { Action } from './action.js';
import { switchTo } from './view-channel.js';

/**
 * SwitchChannel (load-test-ng frequency 6.5219): a joined public or private channel of the team
 * other than the one on screen, shown with SWITCH (view-channel.ts).
 */
export const switchChannel: Action = {
  name: 'switch_channel',
  needsLogin: true,
  async run(user) {
    const channels = user.teamChannels();
    const target =
      user.rng.pick(channels.filter((c) => c.id !== user.currentChannel)) ?? user.rng.pick(channels);
    if (!target) throw new Error(`${user.me.username} has no channel to switch to`);
    await switchTo(user, target);
  },
};
