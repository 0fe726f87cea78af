import type { SeedShape } from './shape.js';

// What a shape turns into, computed without a server: names, channel types, who joins which
// channel and how many history posts each channel gets. Deterministic, so a second run plans the
// same objects and only fills what is missing.

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
      });
    }
  });
  channels.forEach((channel, c) => {
    channel.posts = Math.floor(shape.posts / channels.length) + (c < shape.posts % channels.length ? 1 : 0);
  });
  return { teams, channels, users };
}
