import type { Action } from './action.js';

/** GET /api/v4/system/ping: no login, the cheapest request there is (accuracy tests, benches). */
export const ping: Action = {
  name: 'ping',
  needsLogin: false,
  async run(user) {
    await user.client.ping(false);
  },
};
