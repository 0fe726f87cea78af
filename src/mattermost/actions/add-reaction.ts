import { type Action, somePostOnScreen } from './action.js';

const EMOJIS = ['+1', 'smile', 'heart', 'tada', 'eyes', 'white_check_mark', 'thinking_face', 'rocket'];

/** AddReaction (load-test-ng 0.1306; simulcontroller/actions.go addReaction): `POST /reactions`. */
export const addReaction: Action = {
  name: 'add_reaction',
  needsLogin: true,
  async run(user) {
    const postId = await somePostOnScreen(user);
    if (!postId) return;
    await user.client.addReaction(user.me.id, postId, user.rng.pick(EMOJIS)!);
  },
};
