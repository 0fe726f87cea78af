import { randomBytes } from 'node:crypto';
import type { Channel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import { forEachBounded, withRetry } from '../common/bounded-parallel.js';
import { UsageError } from '../common/exit-codes.js';
import { seededRandom } from '../common/seeded-random.js';
import type { Client4 } from '../mattermost/official-client.js';
import type { UserAccount } from '../mattermost/simulated-user.js';
import { composeMessage } from './corpus/message.js';
import { readCredentials, type SeedCredentials, writeCredentials } from './credentials.js';
import { seedDrafts, seedThreadReplies } from './participation.js';
import { type PlannedChannel, planSeed } from './plan.js';
import {
  adminSeedClient,
  createOrFind,
  createPostOnce,
  isNotFound,
  PAGE,
  type PartialPost,
  Phase,
  type PhaseCount,
  pages,
  postsOf,
  SEED_PROP,
  seedClient,
} from './seed-steps.js';
import type { SeedShape } from './shape.js';

// `mmdrill seed`: creates a shape's teams, channels, users, memberships and history posts through
// the API (Client4, as the admin; posts as their authors), then each user's thread reply and
// draft (participation.ts), a bounded number of requests at a time.
// Idempotent: every object is looked up by name first, so a second run only fills gaps.

export { SEED_PROP } from './seed-steps.js';

export interface SeedTarget {
  url: string;
  admin: { username: string; password: string };
}

export interface SeedOptions {
  target: SeedTarget;
  shape: SeedShape;
  credentialsPath: string;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

export interface SeedReport {
  shape: string;
  url: string;
  credentialsFile: string;
  teams: PhaseCount;
  channels: PhaseCount;
  users: PhaseCount;
  teamMembers: PhaseCount;
  channelMembers: PhaseCount;
  posts: PhaseCount;
  threadReplies: PhaseCount;
  drafts: PhaseCount;
  durationMs: number;
}

export async function seed(options: SeedOptions): Promise<SeedReport> {
  const { target, shape, signal } = options;
  const print = options.progress ?? (() => undefined);
  const limit = options.concurrency ?? 8;
  const started = Date.now();
  const plan = planSeed(shape);
  const admin = await adminSeedClient(target.url, target.admin);
  const adminId = (await admin.getMe()).id;

  // Teams (the admin creates them and so is a member, which creating channels needs).
  const teamIds = new Map<string, string>();
  const teams = new Phase('teams', plan.teams.length, print);
  for (const t of plan.teams) {
    signal?.throwIfAborted();
    const existing = await admin
      .getTeamByName(t.name)
      .catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
    const team =
      existing ??
      (await createOrFind(
        () => admin.createTeam({ name: t.name, display_name: t.displayName, type: 'O' } as Team),
        () => admin.getTeamByName(t.name),
      ));
    if (existing) await withRetry(() => admin.addToTeam(team.id, adminId));
    teamIds.set(t.name, team.id);
    teams.tick(!existing);
  }
  const teamsCount = teams.end();

  // Channels.
  const channelIds = new Map<PlannedChannel, string>();
  const channels = new Phase('channels', plan.channels.length, print);
  await forEachBounded(
    plan.channels,
    limit,
    async (c) => {
      const teamId = teamIds.get(c.team)!;
      const find = () =>
        admin
          .getChannelByName(teamId, c.name)
          .catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
      const existing = await withRetry(find);
      const channel =
        existing ??
        (await createOrFind(
          () =>
            admin.createChannel({
              team_id: teamId,
              name: c.name,
              display_name: c.displayName,
              type: c.type,
            } as Channel),
          find,
        ));
      channelIds.set(c, channel.id);
      channels.tick(!existing);
    },
    signal,
  );
  const channelsCount = channels.end();

  // Users: one generated password per data set, kept with the accounts.
  const previous = await readCredentials(options.credentialsPath);
  const password = previous?.users[0]?.password ?? `${randomBytes(18).toString('base64url')}Aa1!`;
  const known = new Set(previous?.users.map((u) => u.username) ?? []);
  const found = new Map<string, UserProfile>();
  for (let i = 0; i < plan.users.length; i += 100) {
    const batch = plan.users.slice(i, i + 100).map((u) => u.username);
    for (const profile of await withRetry(() => admin.getProfilesByUsernames(batch)))
      found.set(profile.username, profile);
  }
  const strangers = [...found.keys()].filter((name) => !known.has(name));
  if (strangers.length > 0) {
    throw new UsageError(
      `${strangers.length} users of shape "${shape.name}" (e.g. ${strangers[0]}) exist on ${target.url} but are not in ${options.credentialsPath}, so their passwords are unknown: restore that file, or seed with another prefix`,
    );
  }
  const users = new Phase('users', plan.users.length, print);
  await forEachBounded(
    plan.users,
    limit,
    async (u) => {
      if (found.has(u.username)) {
        users.tick(false);
        return;
      }
      const profile = await createOrFind(
        () => admin.createUser({ username: u.username, email: u.email, password } as UserProfile, '', ''),
        async () => (await admin.getProfilesByUsernames([u.username]))[0] ?? null,
      );
      found.set(u.username, profile);
      users.tick(true);
    },
    signal,
  );
  const usersCount = users.end();
  const accounts: UserAccount[] = plan.users.map((u) => ({
    id: found.get(u.username)!.id,
    username: u.username,
    password,
  }));
  const credentials: SeedCredentials = {
    version: 1,
    shape: shape.name,
    url: target.url,
    updatedAt: new Date().toISOString(),
    teams: plan.teams.map((t) => ({ id: teamIds.get(t.name)!, name: t.name })),
    users: accounts,
  };
  // Written now, so that an interrupted seed still knows the passwords of the users it created.
  await writeCredentials(options.credentialsPath, credentials);

  // Team memberships: every user in every team.
  const teamMembers = new Phase('team members', plan.teams.length * accounts.length, print);
  for (const t of plan.teams) {
    const teamId = teamIds.get(t.name)!;
    const members = new Set(
      (await pages((p) => admin.getTeamMembers(teamId, p, PAGE))).map((m) => m.user_id),
    );
    await forEachBounded(
      accounts,
      limit,
      async (a) => {
        if (members.has(a.id)) return teamMembers.tick(false);
        await withRetry(() => admin.addToTeam(teamId, a.id));
        teamMembers.tick(true);
      },
      signal,
    );
  }
  const teamMembersCount = teamMembers.end();

  // Channel memberships.
  const wanted = plan.channels.reduce((n, c) => n + c.members.length, 0);
  const channelMembers = new Phase('channel members', wanted, print);
  await forEachBounded(
    plan.channels,
    Math.max(1, Math.floor(limit / 2)),
    async (c) => {
      const channelId = channelIds.get(c)!;
      const members = new Set(
        (await pages((p) => admin.getChannelMembers(channelId, p, PAGE))).map((m) => m.user_id),
      );
      await forEachBounded(c.members, 2, async (i) => {
        const account = accounts[i]!;
        if (members.has(account.id)) return channelMembers.tick(false);
        await withRetry(() => admin.addToChannel(account.id, channelId));
        channelMembers.tick(true);
      });
    },
    signal,
  );
  const channelMembersCount = channelMembers.end();

  // History posts, written by a few members of each channel.
  const logins = new Map<string, Promise<Client4>>();
  const clientOf = (account: UserAccount): Promise<Client4> => {
    let client = logins.get(account.username);
    if (!client) {
      const c = seedClient(target.url);
      client = withRetry(() => c.login(account.username, account.password)).then(() => c);
      logins.set(account.username, client);
    }
    return client;
  };
  const posts = new Phase(
    'posts',
    plan.channels.reduce((n, c) => n + c.posts, 0),
    print,
  );
  await forEachBounded(
    plan.channels,
    limit,
    async (c) => {
      if (c.posts === 0) return;
      const channelId = channelIds.get(c)!;
      const seeded = (await pages((p) => admin.getPosts(channelId, p, PAGE).then(postsOf))).filter(
        (p) => p.props?.[SEED_PROP] === shape.name,
      );
      const roots = seeded.filter((p) => !p.root_id).map((p) => p.id);
      posts.tick(false, Math.min(seeded.length, c.posts));
      const authors = c.members.slice(0, shape.authorsPerChannel).map((i) => accounts[i]!);
      if (authors.length === 0) throw new Error(`channel ${c.name} has no members to write its history`);
      const rng = seededRandom(`${shape.name}:${c.name}:${seeded.length}`);
      // The corpus's text (Zipf words, hashtags, @mentions of members, links, code blocks).
      const mentionable = c.members.slice(0, 50).map((i) => plan.users[i]!.username);
      for (let k = seeded.length; k < c.posts; k++) {
        signal?.throwIfAborted();
        const author = await clientOf(authors[k % authors.length]!);
        const rootId = roots.length > 0 && rng.chance(shape.replyShare) ? rng.pick(roots)! : '';
        const post: PartialPost = {
          channel_id: channelId,
          message: composeMessage(rng, { usernames: mentionable, secondLanguageShare: 0 }).message,
          root_id: rootId,
          props: { [SEED_PROP]: shape.name },
          // The server deduplicates by pending_post_id, so a retry cannot post twice.
          pending_post_id: `${c.name}:${k}:${Date.now()}`,
        };
        const created = await createPostOnce(author, post);
        if (!rootId) roots.push(created.id);
        posts.tick(true);
      }
    },
    signal,
  );
  const postsCount = posts.end();

  const participation = {
    plan,
    shape,
    admin,
    teamIds,
    channelIds,
    accounts,
    clientOf,
    limit,
    print,
    ...(signal ? { signal } : {}),
  };
  const threadRepliesCount = await seedThreadReplies(participation);
  const draftsCount = await seedDrafts(participation);

  return {
    shape: shape.name,
    url: target.url,
    credentialsFile: options.credentialsPath,
    teams: teamsCount,
    channels: channelsCount,
    users: usersCount,
    teamMembers: teamMembersCount,
    channelMembers: channelMembersCount,
    posts: postsCount,
    threadReplies: threadRepliesCount,
    drafts: draftsCount,
    durationMs: Date.now() - started,
  };
}
