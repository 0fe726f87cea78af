import type { SimulatedUser } from '../simulated-user.js';

// One thing a simulated user does, as the web app does it (the same requests in the same order).
// One file per action; `catalogue.ts` lists them with their production frequencies.

export interface Action {
  readonly name: string;
  /** False for actions that work without logging in (`ping`). */
  readonly needsLogin: boolean;
  run(user: SimulatedUser): Promise<void>;
}

/** The channel on screen, or any channel of the team when none is (yet). */
export function screenChannel(user: SimulatedUser): string {
  if (user.currentChannel) return user.currentChannel;
  const channel = user.rng.pick(user.teamChannels());
  if (!channel) throw new Error(`${user.me.username} has no channel in team ${user.team.name}`);
  user.currentChannel = channel.id;
  return channel.id;
}

/** A post of the channel on screen, fetching its latest posts when none is known. */
export async function somePostOnScreen(user: SimulatedUser): Promise<string | undefined> {
  const known = user.rng.pick(user.recent);
  if (known) return known.id;
  const channelId = screenChannel(user);
  user.show(channelId, await user.client.getPosts(channelId, 0, 30));
  return user.rng.pick(user.recent)?.id;
}
