import type { UserProfile } from '@mattermost/types/users';
import type { SimulatedUser } from '../simulated-user.js';

// ADD-MEMBERS: load-test-ng's openAddMembersDialog (mattermost/mattermost-load-test-ng:
// loadtest/control/simulcontroller/actions.go): team stats, the channel's members, team users not
// in it, their statuses (twice), the channel marked viewed. Returns the users not in the channel.

export async function addMembersDialog(user: SimulatedUser, channelId: string): Promise<string[]> {
  const tid = user.team.id;
  await user.call('GET', `/teams/${tid}/stats`);
  const members = await user.call<UserProfile[]>('GET', `/users?in_channel=${channelId}&page=0&per_page=50`);
  const others = await user.call<UserProfile[]>(
    'GET',
    `/users?cursor_id=&in_team=${tid}&not_in_channel=${channelId}&page=0&per_page=100`,
  );
  await user.call(
    'POST',
    '/users/status/ids',
    members.data.map((u) => u.id),
  );
  await user.call(
    'POST',
    '/users/status/ids',
    others.data.map((u) => u.id),
  );
  await user.call('POST', `/channels/members/${user.me.id}/view`, {
    channel_id: channelId,
    collapsed_threads_supported: user.store.features.crt,
  });
  return others.data.map((u) => u.id);
}
