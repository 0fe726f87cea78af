import { messageText } from '../message-text.js';
import { type Action, screenChannel } from './action.js';

/**
 * CreatePersistentNotificationPost (load-test-ng 0.0001, server ≥ 8.0): the channel's members,
 * then an urgent post with persistent notifications mentioning one of them.
 */
export const createPersistentNotificationPost: Action = {
  name: 'create_persistent_notification_post',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    const members = await user.call<{ user_id: string }[]>(
      'GET',
      `/channels/${channelId}/members?page=0&per_page=100`,
    );
    const other = user.rng.pick(members.data.filter((m) => m.user_id !== user.me.id));
    const name = user.directory.find((u) => u.id === other?.user_id)?.username ?? user.me.username;
    await user.call('POST', '/posts', {
      channel_id: channelId,
      message: `@${name} ${messageText(user.rng)}`,
      metadata: { priority: { priority: 'urgent', persistent_notifications: true } },
    });
  },
};
