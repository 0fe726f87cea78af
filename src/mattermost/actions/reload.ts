import type { SimulatedUser } from '../simulated-user.js';
import { viewChannel } from './view-channel.js';

// Load-test-ng's REST reload (mattermost/mattermost-load-test-ng: loadtest/control/actions.go
// Reload, after `GET /users?page=0&per_page=100`): preferences, client config, me, webapp plugins,
// teams, team memberships, the team's channels and memberships, all channels, channel members
// (pages of 200), team unreads, statuses of self, then stats and unreads of the channel on screen.
// FullReload and LogoutLogin run it.

export async function reload(user: SimulatedUser): Promise<void> {
  const uid = user.me.id;
  const tid = user.team.id;
  await user.call('GET', '/users?page=0&per_page=100');
  await user.call('GET', `/users/${uid}/preferences`);
  await user.call('GET', '/config/client');
  await user.call('GET', '/users/me');
  await user.call('GET', '/plugins/webapp');
  await user.call('GET', '/teams?page=0&per_page=50');
  await user.call('GET', `/users/${uid}/teams`);
  await user.call('GET', `/users/${uid}/teams/members`);
  await user.call('GET', `/users/${uid}/teams/${tid}/channels?include_deleted=true`);
  await user.call('GET', `/users/${uid}/teams/${tid}/channels/members`);
  await user.call('GET', `/users/${uid}/channels?last_delete_at=0`);
  await user.call('GET', `/users/${uid}/channel_members?page=0&per_page=200`);
  await user.call('GET', `/users/${uid}/teams/unread?include_collapsed_threads=false`);
  await user.call('GET', `/users/${uid}/status`);
  const channel = user.channels.get(user.currentChannel);
  if (channel) {
    await user.call('GET', `/channels/${channel.id}/stats?exclude_files_count=true`);
    await user.call('GET', `/users/${uid}/channels/${channel.id}/unread`);
    user.viewedAt.delete(channel.id);
    user.currentChannel = '';
    await viewChannel(user, channel);
  }
}
