import type { Draft } from '@mattermost/types/drafts';
import { messageText } from '../message-text.js';
import { type Action, screenChannel } from './action.js';

/** Save the text being typed in the channel on screen as a draft. */
export const upsertDraft: Action = {
  name: 'upsert_draft',
  needsLogin: true,
  async run(user) {
    const now = Date.now();
    const draft: Draft = {
      user_id: user.me.id,
      channel_id: screenChannel(user),
      root_id: '',
      message: messageText(user.rng, 1, 6),
      props: {},
      file_ids: [],
      create_at: now,
      update_at: now,
      delete_at: 0,
    };
    await user.client.upsertDraft(draft, user.session.connectionId);
  },
};
