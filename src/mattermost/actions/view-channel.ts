import type { PostList } from '@mattermost/types/posts';
import type { ChannelRef, SimulatedUser } from '../simulated-user.js';
import { postInfo } from './post-info.js';

// Showing a channel, as load-test-ng's viewChannel and switchChannel do it
// (mattermost/mattermost-load-test-ng: loadtest/control/simulcontroller/actions.go): mark the
// channel being left viewed; posts (the unread window on the first view in this session, else
// those since the last view); POSTINFO; stats (files counted 1 % of the time); for DMs and GMs the
// show/open-time preferences; mark the new channel viewed. A switch also reads its bookmarks.

export async function viewChannel(user: SimulatedUser, target: ChannelRef): Promise<void> {
  const uid = user.me.id;
  const crt = user.store.features.crt;
  const previous = user.currentChannel;
  if (previous) {
    await user.call('POST', `/channels/members/${uid}/view`, {
      channel_id: previous,
      prev_channel_id: '',
      collapsed_threads_supported: true,
    });
  }
  const since = user.viewedAt.get(target.id);
  const posts =
    since === undefined
      ? await user.call<PostList>(
          'GET',
          `/users/${uid}/channels/${target.id}/posts/unread?collapsedThreads=${crt}&limit_after=30&limit_before=30`,
        )
      : await user.call<PostList>(
          'GET',
          `/channels/${target.id}/posts?collapsedThreads=${crt}&since=${since}`,
        );
  user.show(target.id, posts.data);
  await postInfo(user, posts.data);
  await user.call('GET', `/channels/${target.id}/stats?exclude_files_count=${user.rng.chance(0.99)}`);
  if (target.type === 'D' || target.type === 'G') {
    await user.call('PUT', `/users/${uid}/preferences`, [
      {
        user_id: uid,
        category: target.type === 'D' ? 'direct_channel_show' : 'group_channel_show',
        name: target.type === 'D' ? otherMember(target, uid) : target.id,
        value: 'true',
      },
      { user_id: uid, category: 'channel_open_time', name: target.id, value: new Date().toISOString() },
    ]);
  }
  await user.call('POST', `/channels/members/${uid}/view`, {
    channel_id: target.id,
    prev_channel_id: previous,
    collapsed_threads_supported: true,
  });
}

/** SWITCH: view the channel, then its bookmarks when the server has them. */
export async function switchTo(user: SimulatedUser, target: ChannelRef): Promise<void> {
  await viewChannel(user, target);
  if (user.store.features.bookmarks)
    await user.call('GET', `/channels/${target.id}/bookmarks?bookmarks_since=0`);
}

function otherMember(channel: ChannelRef, uid: string): string {
  return channel.name.split('__').find((id) => id && id !== uid) ?? channel.id;
}
