import type { Action } from './action.js';
import { addMembersDialog } from './add-members-dialog.js';

/**
 * CreatePrivateChannel (load-test-ng 0.0002; simulcontroller/actions.go): `POST /channels` (type P),
 * ADD-MEMBERS, then 1–4 of the users offered added one by one.
 */
export const createPrivateChannel: Action = {
  name: 'create_private_channel',
  needsLogin: true,
  async run(user) {
    const name = `lt-${user.me.id.slice(0, 8)}-${user.rng.int(1_000_000_000)}`;
    const channel = await user.client.createChannel({
      team_id: user.team.id,
      name,
      display_name: name,
      type: 'P',
    });
    user.addChannel({ id: channel.id, type: channel.type, teamId: channel.team_id, name: channel.name });
    const offered = await addMembersDialog(user, channel.id);
    const count = Math.min(offered.length, 1 + user.rng.int(4));
    for (const id of offered.slice(0, count)) {
      await user.call('POST', `/channels/${channel.id}/members`, { user_id: id });
    }
  },
};
