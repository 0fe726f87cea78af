import { type Action, screenChannel } from './action.js';
import { composeMessage, maybeAttach } from './compose-message.js';

/** CreateScheduledPost (load-test-ng 0.001, server ≥ 10.3; simulcontroller/scheduled_posts.go): 25 % replies, 2–10 days ahead. */
export const createScheduledPost: Action = {
  name: 'create_scheduled_post',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.scheduledPosts) return;
    const channelId = screenChannel(user);
    const channel = user.channels.get(channelId) ?? {
      id: channelId,
      type: 'O',
      teamId: user.team.id,
      name: '',
    };
    const parent = user.rng.chance(0.25) ? user.rng.pick(user.recent) : undefined;
    user.session.typing(channelId, parent ? parent.rootId || parent.id : '');
    const message = await composeMessage(user, channel);
    const fileIds = await maybeAttach(user, channelId);
    const created = await user.call<{ id: string }>('POST', '/posts/schedule', {
      channel_id: channelId,
      root_id: parent ? parent.rootId || parent.id : '',
      message,
      file_ids: fileIds,
      scheduled_at: Date.now() + (2 + user.rng.int(9)) * 86_400_000,
    });
    user.store.remember(user.store.scheduled, { id: created.data.id, channelId, message });
  },
};
