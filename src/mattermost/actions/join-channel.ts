import type { Channel } from '@mattermost/types/channels';
import type { Action } from './action.js';

/**
 * JoinChannel (load-test-ng 0.0049; simulcontroller/actions.go joinChannel): the team's public
 * channels, then join one the user is not in.
 */
export const joinChannel: Action = {
  name: 'join_channel',
  needsLogin: true,
  async run(user) {
    const list = await user.call<Channel[]>('GET', `/teams/${user.team.id}/channels?page=0&per_page=100`);
    const target = user.rng.pick(list.data.filter((c) => !user.channels.has(c.id)));
    if (!target) return;
    await user.call('POST', `/channels/${target.id}/members`, { user_id: user.me.id });
    user.addChannel({ id: target.id, type: target.type, teamId: target.team_id, name: target.name });
  },
};
