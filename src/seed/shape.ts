import { existsSync } from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import { UsageError } from '../common/exit-codes.js';
import type { ConfigIssue } from '../config/load.js';
import { loadConfigFile } from '../config/load.js';
import { ClosedObject, PatternString } from '../config/schema-builders.js';

// What `mmdrill seed` creates: a data set's shape. Two are built in (`small`, `medium`); any other
// is a YAML file checked against this schema, with file:line:field errors.

const Count = (description: string, minimum: number, maximum: number) =>
  Type.Integer({ minimum, maximum, description });

export const SeedShapeSchema = ClosedObject(
  {
    name: PatternString(
      '^[a-z][a-z0-9-]{0,11}$',
      "expected 1–12 lower-case letters, digits or '-', starting with a letter",
      {
        description:
          'Name of the data set: names its credentials file (seed-<name>.json) and, by default, its objects.',
      },
    ),
    prefix: Type.Optional(
      PatternString(
        '^[a-z][a-z0-9-]{0,11}$',
        "expected 1–12 lower-case letters, digits or '-', starting with a letter",
        {
          description:
            'Prefix of every team, channel and user name (default: the name). Seeds with different prefixes never share objects.',
        },
      ),
    ),
    teams: Count('Teams to create; every user joins every team.', 1, 100),
    channels: Count('Channels in all, spread over the teams.', 1, 10_000),
    privateShare: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.2,
      description: 'Share of channels that are private.',
    }),
    users: Count('User accounts to create.', 1, 100_000),
    channelsPerUser: Type.Integer({
      minimum: 1,
      maximum: 1_000,
      default: 5,
      description: "Channels of each team a user joins (at most the team's channel count).",
    }),
    posts: Count('History posts in all, spread over the channels.', 0, 10_000_000),
    replyShare: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.2,
      description: 'Share of history posts that are replies to an earlier post of the channel.',
    }),
    authorsPerChannel: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 5,
      description: 'Members of each channel who write its history posts (each logs in once).',
    }),
    threadRepliesPerUser: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        default: 1,
        description:
          "Replies each user writes, in each team, to a history thread of one of its channels: Mattermost makes a replier follow the thread, so every user follows threads as in a workspace in use (load-test-ng's thread actions need one). At most channelsPerUser.",
      }),
    ),
    draftsPerUser: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        default: 1,
        description:
          'Synced drafts each user has left, in each team, in channels of its own (a workspace in use; DeleteDraft needs one). At most channelsPerUser.',
      }),
    ),
    reactionShare: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        default: 0.3,
        description: 'Share of history posts and replies that carry emoji reactions (bulk import).',
      }),
    ),
    historyDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3_650,
        default: 90,
        description: 'Days the history posts spread over, ending today (bulk import).',
      }),
    ),
    directChannels: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000,
        default: 0,
        description: 'Direct-message channels between neighbouring users (bulk import).',
      }),
    ),
    directPostsPerChannel: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000,
        default: 5,
        description: 'Messages in each direct channel (bulk import).',
      }),
    ),
  },
  { description: 'The shape of a data set `mmdrill seed` creates.' },
);

export type SeedShape = Static<typeof SeedShapeSchema>;

export const BUILT_IN_SHAPES: Readonly<Record<string, SeedShape>> = {
  small: {
    name: 'small',
    teams: 1,
    channels: 10,
    privateShare: 0.2,
    users: 100,
    channelsPerUser: 5,
    posts: 1_000,
    replyShare: 0.2,
    authorsPerChannel: 5,
    threadRepliesPerUser: 1,
    draftsPerUser: 1,
  },
  medium: {
    name: 'medium',
    teams: 2,
    channels: 50,
    privateShare: 0.2,
    users: 1_000,
    channelsPerUser: 10,
    posts: 10_000,
    replyShare: 0.2,
    authorsPerChannel: 5,
    threadRepliesPerUser: 1,
    draftsPerUser: 1,
  },
  // The data-at-scale sets, meant for bulk import (Mattermost's reference architectures are sized
  // on databases of this order: thousands of users, millions of posts).
  large: {
    name: 'large',
    teams: 2,
    channels: 500,
    privateShare: 0.2,
    users: 10_000,
    channelsPerUser: 10,
    posts: 1_000_000,
    replyShare: 0.3,
    authorsPerChannel: 20,
    threadRepliesPerUser: 1,
    draftsPerUser: 0,
    reactionShare: 0.3,
    historyDays: 180,
    directChannels: 1_000,
    directPostsPerChannel: 5,
  },
  xl: {
    name: 'xl',
    teams: 4,
    channels: 2_000,
    privateShare: 0.2,
    users: 50_000,
    channelsPerUser: 10,
    posts: 5_000_000,
    replyShare: 0.3,
    authorsPerChannel: 20,
    threadRepliesPerUser: 1,
    draftsPerUser: 0,
    reactionShare: 0.3,
    historyDays: 365,
    directChannels: 5_000,
    directPostsPerChannel: 5,
  },
};

/**
 * Sets above this many posts are seeded by bulk import unless told otherwise. `medium` stays on
 * the API: its users' participation (a followed thread and a draft in each team, participation.ts,
 * what the load-test-ng comparison in docs/scenarios.md relies on) is written through the API only.
 */
const API_SEED_POST_LIMIT = 10_000;

/** How a data set is seeded when nobody says: bulk import above API_SEED_POST_LIMIT posts. */
export function defaultSeedMethod(shape: SeedShape): 'api' | 'bulk' {
  return shape.posts > API_SEED_POST_LIMIT ? 'bulk' : 'api';
}

/** `small`, `medium`, or the path of a shape file. */
export async function resolveShape(nameOrFile: string): Promise<SeedShape> {
  const builtIn = Object.hasOwn(BUILT_IN_SHAPES, nameOrFile) ? BUILT_IN_SHAPES[nameOrFile] : undefined;
  if (builtIn) return builtIn;
  if (!existsSync(nameOrFile)) {
    throw new UsageError(
      `unknown shape "${nameOrFile}": expected ${Object.keys(BUILT_IN_SHAPES).join(', ')}, or a shape file`,
    );
  }
  return loadConfigFile(nameOrFile, SeedShapeSchema, { kind: 'seed shape', check: checkShape });
}

function checkShape(shape: SeedShape): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (shape.channels < shape.teams) {
    issues.push({
      path: ['channels'],
      message: `every team needs a channel: at least ${shape.teams} (one per team)`,
      got: String(shape.channels),
    });
  }
  const width = String(shape.users).length;
  const prefix = shape.prefix ?? shape.name;
  if (prefix.length + 2 + width > 22) {
    issues.push({
      path: [shape.prefix === undefined ? 'name' : 'prefix'],
      message: `usernames (<prefix>-u<number>) would exceed Mattermost's 22 characters: shorten it to ${20 - width} characters`,
    });
  }
  return issues;
}
