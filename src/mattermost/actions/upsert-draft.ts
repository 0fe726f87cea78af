import type { Draft } from '@mattermost/types/drafts';
import { type Action, screenChannel } from './action.js';
import { composeMessage, maybeAttach } from './compose-message.js';

/** Share of drafts that are replies (load-test-ng simulcontroller/drafts.go upsertDraft). */
const REPLY_DRAFT_SHARE = 0.87;

/** UpsertDraft (load-test-ng 0.504): with synced drafts, typing, MSG, 2 % attachments, `POST /drafts`. */
export const upsertDraft: Action = {
  name: 'upsert_draft',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.syncedDrafts) return;
    const channelId = screenChannel(user);
    const channel = user.channels.get(channelId) ?? {
      id: channelId,
      type: 'O',
      teamId: user.team.id,
      name: '',
    };
    const parent = user.rng.chance(REPLY_DRAFT_SHARE) ? user.rng.pick(user.recent) : undefined;
    const rootId = parent ? parent.rootId || parent.id : '';
    user.session.typing(channelId, rootId);
    const message = await composeMessage(user, channel);
    const fileIds = await maybeAttach(user, channelId);
    const now = Date.now();
    const draft: Draft = {
      user_id: user.me.id,
      channel_id: channelId,
      root_id: rootId,
      message,
      props: {},
      file_ids: fileIds,
      create_at: now,
      update_at: now,
      delete_at: 0,
    };
    await user.client.upsertDraft(draft, user.session.connectionId);
    user.store.remember(user.store.drafts, channelId);
  },
};
