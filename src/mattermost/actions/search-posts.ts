import { searchWord } from '../message-text.js';
import type { Action } from './action.js';
import { profileImage } from './post-info.js';

/**
 * SearchPosts (load-test-ng 0.0218; simulcontroller/actions.go searchPosts): 20 % type a
 * `from:` user (autocomplete per character, with the images of the users returned), 20 % an
 * `in:` channel (channel autocomplete per character), then `POST /teams/{id}/posts/search`.
 */
export const searchPosts: Action = {
  name: 'search_posts',
  needsLogin: true,
  async run(user) {
    const teamId = user.team.id;
    let terms = searchWord(user.rng);
    if (user.rng.chance(0.2)) {
      const name = user.rng.pick(user.directory)?.username ?? user.me.username;
      for (let i = 1; i <= Math.min(4, name.length); i++) {
        await user.pause(100 + user.rng.int(200));
        const found = await user.call<{ users?: { id: string }[] }>(
          'GET',
          `/users/autocomplete?in_team=${teamId}&limit=25&name=${encodeURIComponent(name.slice(0, i))}`,
        );
        for (const u of found.data.users ?? []) await profileImage(user, u.id);
      }
      terms = `from:${name} ${terms}`;
    }
    if (user.rng.chance(0.2)) {
      const name = user.rng.pick(user.teamChannels())?.name || 'town-square';
      for (let i = 1; i <= Math.min(4, name.length); i++) {
        await user.pause(100 + user.rng.int(200));
        await user.call(
          'GET',
          `/teams/${teamId}/channels/search_autocomplete?name=${encodeURIComponent(name.slice(0, i))}`,
        );
      }
      terms = `in:${name} ${terms}`;
    }
    await user.call('POST', `/teams/${teamId}/posts/search`, { terms, is_or_search: false });
  },
};
