import type { PaginatedPostList } from '@mattermost/types/posts';
import { type Action, somePostOnScreen } from './action.js';
import { threadPage } from './view-global-threads.js';

/**
 * ViewThread (load-test-ng 0.2841; simulcontroller/actions.go viewThread): with collapsed
 * threads, a thread the client holds (its first thread page fetched when none), read 60 posts a
 * page while the server says there are more.
 */
export const viewThread: Action = {
  name: 'view_thread',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.crt) return;
    if (user.store.threads.length === 0) await threadPage(user, false, '');
    const known = user.rng.pick(user.recent);
    const rootId =
      user.rng.pick(user.store.threads) ?? (known ? known.rootId || known.id : await somePostOnScreen(user));
    if (!rootId) return;
    let from = '';
    for (let page = 0; page < 10; page++) {
      const list = await user.call<PaginatedPostList>(
        'GET',
        `/posts/${rootId}/thread?collapsedThreads=true&direction=down&perPage=60${from}`,
      );
      user.rememberList(list.data);
      const last = list.data.order.at(-1);
      const lastPost = last ? list.data.posts[last] : undefined;
      if (!list.data.has_next || !lastPost) break;
      from = `&fromCreateAt=${lastPost.create_at}&fromPost=${lastPost.id}`;
    }
  },
};
