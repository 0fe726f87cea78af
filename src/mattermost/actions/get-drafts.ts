import type { Action } from './action.js';

/**
 * GetDrafts (load-test-ng 0.037; simulcontroller/drafts.go getDrafts): the team's synced drafts,
 * which the client then holds (userentity/drafts.go GetDrafts stores them with `SetDrafts`).
 */
export const getDrafts: Action = {
  name: 'get_drafts',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.syncedDrafts) return;
    const drafts = await user.call<unknown>('GET', `/users/${user.me.id}/teams/${user.team.id}/drafts`);
    user.store.knowDrafts(drafts.data);
  },
};
