import type { ServerChannel } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type SignedUp, signUp } from '../support/mattermost.js';

// The double's post search honours Mattermost's modifiers (ParseSearchParams in mattermost/mattermost
// server/public/model/search_params.go; docs/search.md): every term must match, "exact phrase",
// -excluded words and phrases, #hashtag and -#hashtag, from:/-from: (also `from: name`), in:/-in:,
// on:/after:/before: (exclusive days) and their negations in the caller's time_zone_offset, and a
// trailing * prefix. Known posts are written, each modifier must select exactly the right ones.

let cluster: DoubleCluster;
let admin: SignedUp;
let alice: SignedUp;
let bob: SignedUp;
let team: Team;
let chA: ServerChannel;
let chB: ServerChannel;
const p: Record<string, Post> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: false });
  admin = await signUp(cluster.url, 'sysadmin');
  [alice, bob] = await Promise.all([signUp(cluster.url, 'alice'), signUp(cluster.url, 'bob')]);
  team = await admin.client.createTeam({ name: unique('team'), display_name: 'Search', type: 'O' } as Team);
  for (const u of [alice, bob]) await admin.client.addToTeam(team.id, u.user.id);
  const channel = async () => {
    const name = unique('ch');
    const c = await admin.client.createChannel({ team_id: team.id, name, display_name: name, type: 'O' });
    for (const u of [alice, bob]) await admin.client.addToChannel(u.user.id, c.id);
    return c;
  };
  chA = await channel();
  chB = await channel();
  const post = async (key: string, who: SignedUp, channel: ServerChannel, message: string, createAt = 0) => {
    p[key] = await who.client.createPost({
      channel_id: channel.id,
      message,
      ...(createAt > 0 && { create_at: createAt }),
    });
    await sleep(3);
  };
  // Back-dated posts (a system admin may set create_at, as for imports).
  await post('d1', admin, chA, 'quarterly budget review', Date.UTC(2025, 2, 10, 12));
  await post('d2', admin, chA, 'quarterly budget planning', Date.UTC(2025, 2, 12, 12));
  await post('d3', admin, chA, 'quarterly budget final', Date.UTC(2025, 2, 14, 23, 30));
  await post('h1', alice, chA, 'deploy tonight #release #infra');
  await post('h2', bob, chA, 'rollback done #release');
  await post('h3', bob, chB, 'staging is green #infra');
  await post('w1', alice, chB, 'kubernetes upgrade finished');
  await post('w2', bob, chA, 'kubernetes upgrade postponed');
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

type SearchAnswer = {
  order: string[];
  posts: Record<string, Post>;
  matches: Record<string, string[]> | null;
} & Record<string, unknown>;
const search = (terms: string, extra: Record<string, unknown> = {}, who = alice) =>
  who.client.searchPostsWithParams(team.id, {
    terms,
    is_or_search: false,
    ...extra,
  } as never) as Promise<SearchAnswer>;
const ids = (...keys: string[]) => keys.map((k) => p[k]!.id);
const found = async (terms: string, extra: Record<string, unknown> = {}) =>
  (await search(terms, extra)).order;

describe('post search modifiers', () => {
  it('needs every term (unless is_or_search) and answers with Mattermost keys', async () => {
    expect(await found('kubernetes upgrade finished')).toEqual(ids('w1'));
    expect(await found('kubernetes finished postponed')).toEqual([]);
    expect(await found('finished postponed', { is_or_search: true })).toEqual(ids('w2', 'w1'));
    const answer = await search('kubernetes');
    for (const key of [
      'order',
      'posts',
      'matches',
      'next_post_id',
      'prev_post_id',
      'first_inaccessible_post_time',
    ])
      expect(answer, key).toHaveProperty(key);
    expect(answer.matches?.[p.w1!.id]).toEqual(['kubernetes']);
  });

  it('matches "exact phrases" in order and leaves out -words and -"phrases"', async () => {
    expect(await found('"upgrade finished"')).toEqual(ids('w1'));
    expect(await found('"finished upgrade"')).toEqual([]);
    expect(await found('kubernetes -postponed')).toEqual(ids('w1'));
    // An excluded phrase excludes each of its words: Mattermost's SQL store joins ExcludedTerms
    // with | (server/channels/store/sqlstore/post_store.go), so w1's "upgrade" leaves it out too.
    expect(await found('kubernetes -"upgrade postponed"')).toEqual([]);
    expect(await found('kubernetes -"postponed later"')).toEqual(ids('w1'));
  });

  it('searches #hashtags (all of them) and leaves out -#hashtags', async () => {
    expect(await found('#release')).toEqual(ids('h2', 'h1'));
    expect(await found('#infra')).toEqual(ids('h3', 'h1'));
    expect(await found('#release #infra')).toEqual(ids('h1'));
    expect(await found('#infra -#release')).toEqual(ids('h3'));
    // A hashtag is not a word: the text search does not find it without its '#'.
    expect(await found('#deploy')).toEqual([]);
  });

  it('filters by from: and in:, negated with -, a flag taking the next word after a space', async () => {
    expect(await found('from:bob kubernetes')).toEqual(ids('w2'));
    expect(await found('from: bob #release')).toEqual(ids('h2'));
    expect(await found('-from:bob kubernetes')).toEqual(ids('w1'));
    expect(await found(`in:${chA.name} #infra`)).toEqual(ids('h1'));
    expect(await found(`-in:${chA.name} #infra`)).toEqual(ids('h3'));
    expect(await found(`from:bob in:${chB.name}`)).toEqual(ids('h3'));
  });

  it('filters by on:, after: and before: (exclusive days), their negations and the time zone', async () => {
    expect(await found('quarterly after:2025-03-10')).toEqual(ids('d3', 'd2'));
    expect(await found('quarterly before:2025-03-12')).toEqual(ids('d1'));
    expect(await found('quarterly on:2025-03-12')).toEqual(ids('d2'));
    expect(await found('quarterly after:2025-03-10 before:2025-03-14')).toEqual(ids('d2'));
    expect(await found('quarterly -on:2025-03-12')).toEqual(ids('d3', 'd1'));
    expect(await found('quarterly -after:2025-03-10')).toEqual(ids('d1'));
    expect(await found('quarterly -before:2025-03-12')).toEqual(ids('d3', 'd2'));
    // 23:30 UTC on the 14th is the 15th one hour east of UTC.
    expect(await found('quarterly on:2025-03-15')).toEqual([]);
    expect(await found('quarterly on:2025-03-15', { time_zone_offset: 3600 })).toEqual(ids('d3'));
    expect(await found('on:2025-03-14')).toEqual(ids('d3'));
  });

  it('matches a trailing * as a prefix, and pages as the database search does', async () => {
    expect(await found('quarter*')).toEqual(ids('d3', 'd2', 'd1'));
    expect(await found('kuber* -finished')).toEqual(ids('w2'));
    expect(await found('kuber')).toEqual([]);
    expect(await found('quarter*', { page: 1, per_page: 2 })).toEqual([]);
  });
});
