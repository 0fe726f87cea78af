import type { Action } from './action.js';

/**
 * GenerateUserReport (load-test-ng 0.0001, server ≥ 8.0; system admins only): the users report,
 * pages of 50 until a short one. Seeded users are not admins, so it is one page at most.
 */
export const generateUserReport: Action = {
  name: 'generate_user_report',
  needsLogin: true,
  async run(user) {
    await user.call('GET', '/reports/users?page_size=50&sort_column=Username').catch(() => undefined);
  },
};
