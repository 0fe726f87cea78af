import type { Action } from './action.js';

/** CreateSidebarCategory (load-test-ng 0.0001; simulcontroller/actions.go): create one, read them back. */
export const createSidebarCategory: Action = {
  name: 'create_sidebar_category',
  needsLogin: true,
  async run(user) {
    const path = `/users/${user.me.id}/teams/${user.team.id}/channels/categories`;
    await user.call('POST', path, {
      user_id: user.me.id,
      team_id: user.team.id,
      display_name: `category ${user.rng.int(1_000_000)}`,
    });
    await user.call('GET', path);
  },
};
