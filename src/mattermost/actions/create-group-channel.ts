import type { UserProfile } from '@mattermost/types/users';
import type { Action } from './action.js';
import { createPost } from './create-post.js';
import { profileImage } from './post-info.js';
import { viewChannel } from './view-channel.js';

/**
 * CreateGroupChannel (load-test-ng 0.0029; simulcontroller/actions.go createGroupChannel): the
 * first 100 users and their images, `POST /channels/group` with two of them, VIEW, a post.
 */
export const createGroupChannel: Action = {
  name: 'create_group_channel',
  needsLogin: true,
  async run(user) {
    const users = await user.call<UserProfile[]>('GET', '/users?page=0&per_page=100');
    for (const u of users.data) await profileImage(user, u.id);
    const others = users.data.filter((u) => u.id !== user.me.id);
    if (others.length < 2) return;
    const a = others.splice(user.rng.int(others.length), 1)[0]!;
    const b = others[user.rng.int(others.length)]!;
    const ids = [user.me.id, a.id, b.id];
    const channel = await user.client.createGroupChannel(ids);
    const ref = { id: channel.id, type: channel.type, teamId: '', name: channel.name };
    user.addChannel(ref);
    user.delivery.joinUsers(channel.id, ids);
    await viewChannel(user, ref);
    await createPost.run(user);
  },
};
