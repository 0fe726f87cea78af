import { searchWord } from '../message-text.js';
import type { Action } from './action.js';

/** Search the team's posts for a word. */
export const searchPosts: Action = {
  name: 'search_posts',
  needsLogin: true,
  async run(user) {
    await user.client.searchPostsWithParams(user.team.id, {
      terms: searchWord(user.rng),
      is_or_search: false,
      time_zone_offset: 0,
      include_deleted_channels: false,
      page: 0,
      per_page: 20,
    });
  },
};
