import type { Action } from './action.js';

/** The drafts of the current team (the web app's drafts view). */
export const getDrafts: Action = {
  name: 'get_drafts',
  needsLogin: true,
  async run(user) {
    await user.client.getUserDrafts(user.team.id);
  },
};
