import { type Action, screenChannel } from './action.js';

/**
 * UnreadCheck (load-test-ng 1.0; simulcontroller/actions.go unreadCheck): back to the tab — the
 * team's channels and memberships, then the channel on screen marked viewed.
 */
export const unreadCheck: Action = {
  name: 'unread_check',
  needsLogin: true,
  async run(user) {
    const uid = user.me.id;
    await user.call('GET', `/users/${uid}/teams/${user.team.id}/channels?include_deleted=true`);
    await user.call('GET', `/users/${uid}/teams/${user.team.id}/channels/members`);
    await user.call('POST', `/channels/members/${uid}/view`, {
      channel_id: screenChannel(user),
      collapsed_threads_supported: user.store.features.crt,
    });
  },
};
