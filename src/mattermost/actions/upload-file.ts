import { randomBytes } from 'node:crypto';
import { messageText } from '../message-text.js';
import { type Action, screenChannel } from './action.js';

/** Attach a file (1–32 KB) and post it in the channel on screen. Needs an object store. */
export const uploadFile: Action = {
  name: 'upload_file',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    const size = 1024 * (1 + user.rng.int(32));
    const form = new FormData();
    form.append('channel_id', channelId);
    form.append('client_ids', `${user.me.id}-${Date.now()}`);
    form.append(
      'files',
      new Blob([randomBytes(size)], { type: 'application/octet-stream' }),
      'attachment.bin',
    );
    const uploaded = await user.client.uploadFile(form);
    const fileIds = uploaded.file_infos.map((f) => f.id);
    await user.createPost(channelId, messageText(user.rng, 1, 6), '', fileIds);
  },
};
