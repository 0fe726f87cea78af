import type { Action } from './action.js';

/** DeletePost (load-test-ng 0.0049; simulcontroller/actions.go deletePost): one of the user's own posts. */
export const deletePost: Action = {
  name: 'delete_post',
  needsLogin: true,
  async run(user) {
    const post = user.rng.pick(user.own);
    if (!post) return;
    user.forget(post.id);
    await user.call('DELETE', `/posts/${post.id}`);
  },
};
