import type { SimulatedUser } from '../simulated-user.js';
import { addMembersDialog } from './add-members-dialog.js';

// CreatePublicChannel and CreatePrivateChannel differ only in the channel type and in what they do
// with the members offered; the channel's creation and the ADD-MEMBERS dialog are written here once.

/** `POST /channels` with load-test-ng's name shape, then ADD-MEMBERS; returns the channel and the users offered. */
export async function createChannelWithDialog(
  user: SimulatedUser,
  type: 'O' | 'P',
): Promise<{ channelId: string; offered: string[] }> {
  const name = `lt-${user.me.id.slice(0, 8)}-${user.rng.int(1_000_000_000)}`;
  const channel = await user.client.createChannel({ team_id: user.team.id, name, display_name: name, type });
  user.addChannel({ id: channel.id, type: channel.type, teamId: channel.team_id, name: channel.name });
  return { channelId: channel.id, offered: await addMembersDialog(user, channel.id) };
}
