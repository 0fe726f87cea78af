import type { Action } from './action.js';
import { addMembersDialog } from './add-members-dialog.js';

/**
 * CreatePublicChannel (load-test-ng 0.0001; simulcontroller/actions.go): `POST /channels` (type O),
 * ADD-MEMBERS.
 */
export const createPublicChannel: Action = {
  name: 'create_public_channel',
  needsLogin: true,
  async run(user) {
    const name = `lt-${user.me.id.slice(0, 8)}-${user.rng.int(1_000_000_000)}`;
    const channel = await user.client.createChannel({
      team_id: user.team.id,
      name,
      display_name: name,
      type: 'O',
    });
    user.addChannel({ id: channel.id, type: channel.type, teamId: channel.team_id, name: channel.name });
    const offered = await addMembersDialog(user, channel.id);
    void offered;
  },
};
