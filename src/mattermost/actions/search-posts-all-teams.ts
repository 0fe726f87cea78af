import { searchWord } from '../message-text.js';
import type { Action } from './action.js';

/** SearchPostsAllTeams (load-test-ng 0.0109, server ≥ 10.7): `POST /posts/search` across teams. */
export const searchPostsAllTeams: Action = {
  name: 'search_posts_all_teams',
  needsLogin: true,
  async run(user) {
    await user.call('POST', '/posts/search', { terms: searchWord(user.rng), is_or_search: false });
  },
};
