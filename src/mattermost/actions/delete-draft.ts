import { type Action, screenChannel } from './action.js';

/** Delete the draft of the channel on screen (the web app does it when the box is emptied or sent). */
export const deleteDraft: Action = {
  name: 'delete_draft',
  needsLogin: true,
  async run(user) {
    await user.client.deleteDraft(screenChannel(user), '', user.session.connectionId);
  },
};
