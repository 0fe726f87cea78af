import { type Action, somePostOnScreen } from './action.js';

/**
 * ClickUserProfile (load-test-ng 0.03; simulcontroller/actions.go clickUserProfile): a post
 * author's channel membership, custom profile attributes (once per user, when the server has
 * them) and team membership.
 */
export const clickUserProfile: Action = {
  name: 'click_user_profile',
  needsLogin: true,
  async run(user) {
    if (user.recent.length === 0) await somePostOnScreen(user);
    const post = user.rng.pick(user.recent);
    if (!post) return;
    const author = post.userId;
    await user.call('GET', `/channels/${post.channelId}/members/${author}`);
    if (user.store.features.customProfileAttributes && !user.store.cpaValues.has(author)) {
      await user.call('GET', `/users/${author}/custom_profile_attributes`);
      user.store.cpaValues.add(author);
    }
    await user.call('GET', `/teams/${user.team.id}/members/${author}`);
  },
};
