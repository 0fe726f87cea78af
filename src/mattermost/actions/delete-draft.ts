import { type Action, screenChannel } from './action.js';

/**
 * DeleteDraft (load-test-ng 1.41; simulcontroller/drafts.go deleteDraft): with synced drafts and a
 * draft the client holds, delete the draft of the channel on screen (the Go client drops the root).
 * Load-test-ng keeps the held draft afterwards (userentity/drafts.go DeleteDraft does not touch its
 * store), so once a user has saved one draft every DeleteDraft sends the request; so does this.
 */
export const deleteDraft: Action = {
  name: 'delete_draft',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.syncedDrafts || user.store.drafts.length === 0) return;
    await user.call('DELETE', `/users/${user.me.id}/channels/${screenChannel(user)}/drafts`);
  },
};
