import { searchWord } from '../message-text.js';
import type { Action } from './action.js';

/** UpdateCustomAttribute (load-test-ng 0.004, server ≥ 10.9): a custom profile attribute value. */
export const updateCustomAttribute: Action = {
  name: 'update_custom_attribute',
  needsLogin: true,
  async run(user) {
    const field = user.rng.pick(user.store.cpaFields);
    if (!field) return;
    await user.call('PATCH', '/custom_profile_attributes/values', { [field]: searchWord(user.rng) });
  },
};
