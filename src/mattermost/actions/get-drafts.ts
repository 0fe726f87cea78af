import type { Action } from './action.js';

/** GetDrafts (load-test-ng 0.037; simulcontroller/drafts.go getDrafts): the team's synced drafts. */
export const getDrafts: Action = {
  name: 'get_drafts',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.syncedDrafts) return;
    await user.call('GET', `/users/${user.me.id}/teams/${user.team.id}/drafts`);
  },
};
