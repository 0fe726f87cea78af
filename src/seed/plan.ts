import type { SeedShape } from './shape.js';

// What a shape turns into, computed without a server: names, channel types, who joins which
// channel, how many history posts each channel gets, and where each user has replied in a thread
// and left a draft (a workspace in use: clients' thread and draft actions need both).
// Deterministic, so a second run plans the same objects and only fills what is missing.

export interface PlannedTeam {
  name: string;
  displayName: string;
}

export interface PlannedChannel {
  team: string;
  name: string;
  displayName: string;
  type: 'O' | 'P';
  /** Indexes into `users`. */
  members: number[];
  posts: number;
  /** Members (indexes into `users`) who reply once to one of this channel's history threads. */
  threadRepliers: number[];
  /** Members (indexes into `users`) who have left a draft in this channel. */
  drafters: number[];
}

export interface PlannedUser {
  username: string;
  email: string;
}

export interface SeedPlan {
  teams: PlannedTeam[];
  channels: PlannedChannel[];
  users: PlannedUser[];
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function planSeed(shape: SeedShape): SeedPlan {
  const prefix = shape.prefix ?? shape.name;
  const userWidth = String(shape.users).length;
  const users: PlannedUser[] = Array.from({ length: shape.users }, (_, i) => {
    const username = `${prefix}-u${pad(i + 1, userWidth)}`;
    return { username, email: `${username}@mmdrill.invalid` };
  });
  const teams: PlannedTeam[] = Array.from({ length: shape.teams }, (_, t) => ({
    name: `${prefix}-team-${t + 1}`,
    displayName: `${shape.name} team ${t + 1}`,
  }));

  const channels: PlannedChannel[] = [];
  const channelWidth = String(shape.channels).length;
  teams.forEach((team, t) => {
    // Channels spread round-robin over the teams: team t gets channels t, t+teams, t+2·teams…
    const count = Math.floor(shape.channels / shape.teams) + (t < shape.channels % shape.teams ? 1 : 0);
    const privateCount = Math.round(count * shape.privateShare);
    const perUser = Math.min(shape.channelsPerUser, count);
    for (let j = 0; j < count; j++) {
      const number = j * shape.teams + t + 1;
      // The last channels of a team are the private ones.
      const type = j >= count - privateCount ? 'P' : 'O';
      // User i joins channels i, i+1, …, i+perUser−1 (mod count) of each team: every channel
      // gets about users·perUser/count members and every user exactly perUser channels.
      const members: number[] = [];
      for (let i = 0; i < shape.users; i++) {
        if ((j - (i % count) + count) % count < perUser) members.push(i);
      }
      channels.push({
        team: team.name,
        name: `${prefix}-${type === 'O' ? 'c' : 'p'}${pad(number, channelWidth)}`,
        displayName: `${type === 'O' ? 'Channel' : 'Private'} ${number}`,
        type,
        members,
        posts: 0,
        threadRepliers: [],
        drafters: [],
      });
    }
  });
  channels.forEach((channel, c) => {
    channel.posts = Math.floor(shape.posts / channels.length) + (c < shape.posts % channels.length ? 1 : 0);
  });
  planParticipation(shape, teams, channels);
  return { teams, channels, users };
}

/**
 * In each team, user i replies in `threadRepliesPerUser` of its channels that have history (a
 * reply needs a thread) and leaves a draft in `draftsPerUser` of its channels, starting at a
 * channel that depends on i, so the replies and drafts spread over the team's channels.
 */
function planParticipation(shape: SeedShape, teams: PlannedTeam[], channels: PlannedChannel[]): void {
  const replies = shape.threadRepliesPerUser ?? 1;
  const drafts = shape.draftsPerUser ?? 1;
  for (const team of teams) {
    const own = channels.filter((c) => c.team === team.name);
    const channelsOf = new Map<number, PlannedChannel[]>();
    for (const c of own) for (const i of c.members) channelsOf.set(i, [...(channelsOf.get(i) ?? []), c]);
    for (const [i, mine] of channelsOf) {
      const start = Math.floor(i / own.length) % mine.length;
      const rotated = [...mine.slice(start), ...mine.slice(0, start)];
      for (const c of rotated.filter((x) => x.posts > 0).slice(0, replies)) c.threadRepliers.push(i);
      for (const c of rotated.slice(0, drafts)) c.drafters.push(i);
    }
  }
  for (const c of channels) {
    c.threadRepliers.sort((a, b) => a - b);
    c.drafters.sort((a, b) => a - b);
  }
}
