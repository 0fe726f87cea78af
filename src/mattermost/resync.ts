import type { SimulatedUser } from './simulated-user.js';

// The requests a client sends when its WebSocket is back after a loss: what it may have missed
// while away. The web app runs its reconnect handler on every re-open, and when the server lost the
// connection's events (a new hello) also its `restart`, which is the same requests again plus the
// client config (mattermost/mattermost: webapp/channels/src/actions/websocket_actions.jsx
// `reconnect`, `restart`). Load-test-ng simulates the same requests with its ReconnectWebSocket
// action (mattermost/mattermost-load-test-ng: loadtest/control/simulcontroller/actions.go
// `reconnectWebSocket`); both lists agree, in this order:
//   my channels and channel members of the current team; the current channel's posts since its
//   newest one and the statuses of their authors and DM partners; team unreads; webapp plugins;
//   users modified since the disconnect (`POST /users/ids?since=`).

export async function resync(user: SimulatedUser, reload: boolean): Promise<void> {
  const uid = user.me.id;
  const crt = user.store.features.crt;
  if (reload) await user.call('GET', '/config/client?format=old');
  if (user.team) {
    await user.call('GET', `/users/${uid}/teams/${user.team.id}/channels?include_deleted=false`);
    await user.call('GET', `/users/${uid}/teams/${user.team.id}/channels/members`);
  }
  const newest = user.recent.at(-1);
  if (newest && user.currentChannel) {
    await user.call(
      'GET',
      `/channels/${user.currentChannel}/posts?collapsedThreads=${crt}&since=${newest.createAt}`,
    );
    const ids = new Set<string>(user.recent.map((p) => p.userId));
    for (const c of user.directChannels()) for (const id of c.name.split('__')) if (id) ids.add(id);
    ids.add(uid);
    await user.call('POST', '/users/status/ids', [...ids]);
  }
  await user.call('GET', `/users/${uid}/teams/unread?include_collapsed_threads=${crt}`);
  await user.call('GET', '/plugins/webapp');
  const known = [...user.store.profiles];
  if (known.length === 0) known.push(uid);
  await user.call('POST', `/users/ids?since=${Date.now()}`, known);
}
