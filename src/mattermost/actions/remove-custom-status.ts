import type { Action } from './action.js';

/** RemoveCustomStatus (load-test-ng 0.0026): `DELETE /users/{id}/status/custom`. */
export const removeCustomStatus: Action = {
  name: 'remove_custom_status',
  needsLogin: true,
  async run(user) {
    await user.call('DELETE', `/users/${user.me.id}/status/custom`);
  },
};
