import type { Action } from './action.js';

/** Share of "open direct or group channel" that opens a group message. */
const GROUP_SHARE = 0.2;

/** Open a DM (or, one time in five, a group message) with other users and show it. */
export const openDirectChannel: Action = {
  name: 'open_direct_channel',
  needsLogin: true,
  async run(user) {
    const others = user.directory.filter((u) => u.id !== user.me.id);
    const group = others.length >= 2 && user.rng.chance(GROUP_SHARE);
    const wanted = group ? 2 + user.rng.int(Math.min(others.length, 6) - 1) : 1;
    const partners = new Set<string>();
    while (partners.size < Math.min(wanted, others.length)) partners.add(user.rng.pick(others)!.id);
    const ids = [user.me.id, ...partners];
    const channel = group
      ? await user.client.createGroupChannel(ids)
      : await user.client.createDirectChannel(ids);
    user.addChannel({ id: channel.id, type: channel.type, teamId: '', name: channel.name });
    // Every simulated user acting as one of the partners is now owed this channel's posts.
    user.delivery.joinUsers(channel.id, ids);
    const posts = await user.client.getPosts(channel.id, 0, 60);
    await user.client.viewMyChannel(channel.id);
    user.show(channel.id, posts);
  },
};
