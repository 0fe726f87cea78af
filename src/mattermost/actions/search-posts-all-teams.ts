import { searchWord } from '../message-text.js';
import type { Action } from './action.js';
import { bandedSearch } from './search-posts.js';

/**
 * SearchPostsAllTeams (load-test-ng 0.0109, server ≥ 10.7): `POST /posts/search` across teams,
 * with a query of the corpus's bands when the load has them (search-bands.ts), else one word.
 */
export const searchPostsAllTeams: Action = {
  name: 'search_posts_all_teams',
  needsLogin: true,
  async run(user) {
    const query = user.searchQueries?.draw(user.rng, {
      usernames: user.directory.map((u) => u.username),
      channelNames: user.teamChannels().map((c) => c.name),
    }) ?? { terms: searchWord(user.rng) };
    await bandedSearch(user, '/posts/search', query);
  },
};
