import { type Action, screenChannel } from './action.js';

/**
 * DeleteDraft (load-test-ng 1.41; simulcontroller/drafts.go deleteDraft): with synced drafts and a
 * draft the client holds, delete the draft of the channel on screen (the Go client drops the root).
 */
export const deleteDraft: Action = {
  name: 'delete_draft',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.syncedDrafts || user.store.drafts.length === 0) return;
    user.store.drafts.shift();
    await user.call('DELETE', `/users/${user.me.id}/channels/${screenChannel(user)}/drafts`);
  },
};
