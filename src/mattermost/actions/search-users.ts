import type { Action } from './action.js';

/**
 * SearchUsers (load-test-ng 0.032; simulcontroller/actions.go searchUsers): a whole username
 * typed, `POST /users/search` for every prefix (100–300 ms apart, 15 % with a mistyped extra).
 */
export const searchUsers: Action = {
  name: 'search_users',
  needsLogin: true,
  async run(user) {
    const name = user.rng.pick(user.directory)?.username ?? user.me.username;
    const pace = 100 + user.rng.int(200);
    for (let i = 1; i <= name.length; i++) {
      await user.pause(pace);
      await user.call('POST', '/users/search', { term: name.slice(0, i), limit: 100 });
      if (i < name.length && user.rng.chance(0.15)) {
        await user.pause(pace);
        await user.call('POST', '/users/search', { term: `${name.slice(0, i)}a`, limit: 100 });
      }
    }
  },
};
