import type { Action } from './action.js';

interface Category {
  id: string;
  channel_ids: string[];
}

/**
 * UpdateSidebarCategory (load-test-ng 0.004; simulcontroller/actions.go updateSidebarCategory):
 * with two categories and more than one channel in the first, move a channel from the first to
 * the second (`PUT` both), then read them back. The user model reads them first: it holds none.
 */
export const updateSidebarCategory: Action = {
  name: 'update_sidebar_category',
  needsLogin: true,
  async run(user) {
    const path = `/users/${user.me.id}/teams/${user.team.id}/channels/categories`;
    const held = await user.call<{ categories?: Category[] }>('GET', path);
    const [first, second] = (held.data.categories ?? []).filter((c) => c.channel_ids.length > 0);
    if (!first || !second || first.channel_ids.length < 2) return;
    const moved = first.channel_ids[0]!;
    await user.call('PUT', path, [
      { ...first, channel_ids: first.channel_ids.slice(1) },
      { ...second, channel_ids: [moved, ...second.channel_ids] },
    ]);
    await user.call('GET', path);
  },
};
