import type { Action } from './action.js';

/** UpdateCustomStatus (load-test-ng 0.0028): a custom status for thirty minutes. */
export const updateCustomStatus: Action = {
  name: 'update_custom_status',
  needsLogin: true,
  async run(user) {
    await user.call('PUT', `/users/${user.me.id}/status/custom`, {
      emoji: 'calendar',
      text: 'In a meeting',
      duration: 'thirty_minutes',
      expires_at: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
  },
};
