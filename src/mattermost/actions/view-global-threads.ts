import type { UserThreadList } from '@mattermost/types/threads';
import type { SimulatedUser } from '../simulated-user.js';
import type { Action } from './action.js';

/**
 * ViewGlobalThreads (load-test-ng 0.6023; simulcontroller/actions.go viewGlobalThreads): with
 * collapsed threads, the Threads view — the first page when none is held, 1–3 older pages 1–10 s
 * apart, then the Unread tab the same way.
 */
export const viewGlobalThreads: Action = {
  name: 'view_global_threads',
  needsLogin: true,
  async run(user) {
    if (!user.store.features.crt) return;
    for (const unread of [false, true]) {
      let oldest = unread ? undefined : user.store.threads.at(-1);
      if (!oldest) oldest = (await threadPage(user, unread, '')).at(-1);
      if (!oldest) continue;
      const scrolls = 1 + user.rng.int(3);
      for (let i = 0; i < scrolls && oldest; i++) {
        await user.pause(1_000 * (1 + user.rng.int(10)));
        oldest = (await threadPage(user, unread, oldest)).at(-1) ?? undefined;
      }
    }
  },
};

/** One page of the user's threads in the team (ids, newest first); remembers them. */
export async function threadPage(user: SimulatedUser, unread: boolean, before: string): Promise<string[]> {
  const query = `per_page=25&threadsOnly=true${before ? `&before=${before}` : ''}${unread ? '&unread=true' : ''}`;
  const list = await user.call<UserThreadList>(
    'GET',
    `/users/${user.me.id}/teams/${user.team.id}/threads?${query}`,
  );
  const ids = (list.data.threads ?? []).map((t) => t.id);
  if (!unread && !before) user.store.threads = ids.slice(0, 25);
  return ids;
}
