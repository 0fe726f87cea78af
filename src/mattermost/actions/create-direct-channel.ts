import type { UserProfile } from '@mattermost/types/users';
import type { Action } from './action.js';
import { createPost } from './create-post.js';
import { profileImage } from './post-info.js';
import { viewChannel } from './view-channel.js';

/**
 * CreateDirectChannel (load-test-ng 0.0055; simulcontroller/actions.go createDirectChannel): the
 * first 100 users and their images, `POST /channels/direct`, the channel and the membership,
 * VIEW, then a post in it.
 */
export const createDirectChannel: Action = {
  name: 'create_direct_channel',
  needsLogin: true,
  async run(user) {
    const users = await user.call<UserProfile[]>('GET', '/users?page=0&per_page=100');
    for (const u of users.data) await profileImage(user, u.id);
    const other = user.rng.pick(users.data.filter((u) => u.id !== user.me.id));
    if (!other) return;
    const channel = await user.client.createDirectChannel([user.me.id, other.id]);
    await user.call('GET', `/channels/${channel.id}`);
    await user.call('GET', `/channels/${channel.id}/members/${user.me.id}`);
    const ref = { id: channel.id, type: channel.type, teamId: '', name: channel.name };
    user.addChannel(ref);
    user.delivery.joinUsers(channel.id, [user.me.id, other.id]);
    await viewChannel(user, ref);
    await createPost.run(user);
  },
};
