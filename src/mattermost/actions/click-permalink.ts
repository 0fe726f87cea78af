import type { PostList } from '@mattermost/types/posts';
import { type Action, somePostOnScreen } from './action.js';
import { viewChannel } from './view-channel.js';

/**
 * ClickPermalink (load-test-ng 0.3; simulcontroller/actions.go clickPermalink): the linked post's
 * thread, its channel when unknown, the team's channels and memberships, then VIEW of its channel.
 * (Load-test-ng follows a `/pl/` link found in a post it holds; the user model links a post seen.)
 */
export const clickPermalink: Action = {
  name: 'click_permalink',
  needsLogin: true,
  async run(user) {
    const postId = user.rng.pick(user.seen)?.id ?? (await somePostOnScreen(user));
    if (!postId) return;
    const crt = user.store.features.crt;
    const thread = await user.call<PostList>(
      'GET',
      `/posts/${postId}/thread?collapsedThreads=${crt}&direction=down&perPage=25`,
    );
    const channelId = thread.data.posts?.[postId]?.channel_id ?? user.currentChannel;
    let channel = user.channels.get(channelId);
    if (!channel) {
      await user.call('GET', `/channels/${channelId}`);
      channel = { id: channelId, type: 'O', teamId: user.team.id, name: '' };
    }
    await user.call('GET', `/users/${user.me.id}/teams/${user.team.id}/channels?include_deleted=false`);
    await user.call('GET', `/users/${user.me.id}/teams/${user.team.id}/channels/members`);
    await viewChannel(user, channel);
  },
};
