import { type Action, screenChannel } from './action.js';

/** Coming back to the tab: reload the team's channels and memberships, mark the channel viewed. */
export const unreadCheck: Action = {
  name: 'unread_check',
  needsLogin: true,
  async run(user) {
    await user.client.getMyChannels(user.team.id);
    await user.client.getMyChannelMembers(user.team.id);
    await user.client.viewMyChannel(screenChannel(user));
  },
};
