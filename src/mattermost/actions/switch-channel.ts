import type { Action } from './action.js';

/** Switch channel: view the one being left, fetch the new one's posts and stats, mark it viewed. */
export const switchChannel: Action = {
  name: 'switch_channel',
  needsLogin: true,
  async run(user) {
    const channels = user.teamChannels();
    const target =
      user.rng.pick(channels.filter((c) => c.id !== user.currentChannel)) ?? user.rng.pick(channels);
    if (!target) throw new Error(`${user.me.username} has no channel to switch to`);
    // The web app marks the channel being left as viewed before switching.
    if (user.currentChannel) await user.client.viewMyChannel(user.currentChannel);
    const since = user.viewedAt.get(target.id);
    const posts =
      since === undefined
        ? await user.client.getPosts(target.id, 0, 60)
        : await user.client.getPostsSince(target.id, since);
    await user.client.getChannelStats(target.id, false);
    await user.client.viewMyChannel(target.id);
    user.show(target.id, posts);
  },
};
