import type { PostList } from '@mattermost/types/posts';
import { type Action, screenChannel } from './action.js';
import { postInfo } from './post-info.js';

/**
 * ScrollChannel (load-test-ng 1.9873; simulcontroller/actions.go scrollChannel): 1–5 pages of the
 * 30 posts before the oldest one on screen, 1–10 s apart, each followed by POSTINFO.
 */
export const scrollChannel: Action = {
  name: 'scroll_channel',
  needsLogin: true,
  async run(user) {
    const channelId = screenChannel(user);
    const crt = user.store.features.crt;
    const scrolls = 1 + user.rng.int(5);
    for (let i = 0; i < scrolls; i++) {
      if (i > 0) await user.pause(1_000 * (1 + user.rng.int(10)));
      const oldest = user.recent[0];
      const before = oldest ? `before=${oldest.id}&` : '';
      const list = await user.call<PostList>(
        'GET',
        `/channels/${channelId}/posts?${before}collapsedThreads=${crt}&include_deleted=false&page=0&per_page=30`,
      );
      if (oldest) user.prependOlder(list.data);
      else user.show(channelId, list.data);
      await postInfo(user, list.data);
    }
  },
};
