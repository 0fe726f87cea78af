import type { ServerChannel } from '@mattermost/types/channels';
import type { Post, PostList } from '@mattermost/types/posts';
import type { Team } from '@mattermost/types/teams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type Client4, ClientError, type SignedUp, signUp } from '../support/mattermost.js';
import { WebSocketProbe } from '../support/websocket.js';

// Posts, threads, search, reactions and drafts of the test double, judged by Mattermost's own
// Client4 against real PostgreSQL.

let cluster: DoubleCluster;
let alice: SignedUp;
let bob: SignedUp;
let carol: SignedUp; // on the team, in none of the test channels
let dave: SignedUp; // not on the team
let team: Team;
let town: ServerChannel; // alice and bob

interface RawFetch {
  doFetchWithResponse<T>(
    url: string,
    options: { method: string; body?: string },
  ): Promise<{ response: Response; data: T }>;
}
const raw = (client: Client4) => client as unknown as RawFetch;

async function expectError(promise: Promise<unknown>, status: number, id?: string): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  const clientError = err as InstanceType<typeof ClientError>;
  expect(clientError.status_code).toBe(status);
  if (id) expect(clientError.server_error_id).toBe(id);
}

const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newChannel(
  owner: SignedUp,
  members: SignedUp[],
  type: 'O' | 'P' = 'O',
): Promise<ServerChannel> {
  const name = unique('ch');
  const channel = await owner.client.createChannel({ team_id: team.id, name, display_name: name, type });
  for (const m of members) await owner.client.addToChannel(m.user.id, channel.id);
  return channel;
}

/** Posts created one by one, 2 ms apart so that create_at gives an exact order. */
async function postSeries(client: Client4, channelId: string, n: number, prefix: string): Promise<Post[]> {
  const posts: Post[] = [];
  for (let i = 0; i < n; i++) {
    posts.push(await client.createPost({ channel_id: channelId, message: `${prefix} ${i}` }));
    await sleep(2);
  }
  return posts;
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: false });
  await signUp(cluster.url, 'sysadmin');
  [alice, bob, carol, dave] = await Promise.all([
    signUp(cluster.url, 'alice'),
    signUp(cluster.url, 'bob'),
    signUp(cluster.url, 'carol'),
    signUp(cluster.url, 'dave'),
  ]);
  team = await alice.client.createTeam({ name: unique('team'), display_name: 'Posts', type: 'O' } as Team);
  await alice.client.addToTeam(team.id, bob.user.id);
  await alice.client.addToTeam(team.id, carol.user.id);
  town = await newChannel(alice, [bob]);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('creating and reading posts', () => {
  it('creates a post with 201, Mattermost fields, and reads it back', async () => {
    const { response, data } = await raw(alice.client).doFetchWithResponse<Post>(
      alice.client.getPostsRoute(),
      {
        method: 'post',
        body: JSON.stringify({ channel_id: town.id, message: 'hello #world', pending_post_id: 'pending-1' }),
      },
    );
    expect(response.status).toBe(201);
    expect(data).toMatchObject({
      user_id: alice.user.id,
      channel_id: town.id,
      root_id: '',
      original_id: '',
      message: 'hello #world',
      type: '',
      props: {},
      hashtags: '#world',
      file_ids: [],
      pending_post_id: 'pending-1',
      is_pinned: false,
      edit_at: 0,
      delete_at: 0,
      reply_count: 0,
      metadata: {},
      participants: null,
    });
    expect(data.id).toMatch(/^[a-z0-9]{26}$/);
    expect(data.update_at).toBe(data.create_at);
    const read = await bob.client.getPost(data.id);
    expect(read).toMatchObject({ ...data, pending_post_id: '' });
  });

  it('deduplicates a retried pending_post_id', async () => {
    const first = await alice.client.createPost({
      channel_id: town.id,
      message: 'once',
      pending_post_id: 'retry-me',
    });
    const again = await alice.client.createPost({
      channel_id: town.id,
      message: 'once',
      pending_post_id: 'retry-me',
    });
    expect(again.id).toBe(first.id);
  });

  it('moves the channel counters and the author membership in the same transaction', async () => {
    const channel = await newChannel(alice, [bob]);
    const root = await alice.client.createPost({ channel_id: channel.id, message: 'root' });
    const reply = await bob.client.createPost({ channel_id: channel.id, message: 'reply', root_id: root.id });
    const after = await alice.client.getChannel(channel.id);
    expect(after).toMatchObject({
      total_msg_count: 2,
      total_msg_count_root: 1,
      last_post_at: reply.create_at,
      last_root_post_at: root.create_at,
    });
    const bobMember = await bob.client.getMyChannelMember(channel.id);
    expect(bobMember).toMatchObject({ msg_count: 2, msg_count_root: 1, last_viewed_at: reply.create_at });
  });

  it('refuses non-members, oversized messages and bad roots with Mattermost errors', async () => {
    await expectError(
      carol.client.createPost({ channel_id: town.id, message: 'x' }),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(
      alice.client.createPost({ channel_id: town.id, message: 'x'.repeat(16384) }),
      400,
      'model.post.is_valid.msg.app_error',
    );
    const longest = await alice.client.createPost({ channel_id: town.id, message: 'é'.repeat(16383) });
    expect([...longest.message]).toHaveLength(16383);
    const other = await newChannel(alice, [], 'P');
    const foreign = await alice.client.createPost({ channel_id: other.id, message: 'elsewhere' });
    await expectError(
      alice.client.createPost({ channel_id: town.id, message: 'r', root_id: 'a'.repeat(26) }),
      400,
      'api.post.create_post.root_id.app_error',
    );
    await expectError(
      alice.client.createPost({ channel_id: town.id, message: 'r', root_id: foreign.id }),
      400,
      'api.post.create_post.channel_root_id.app_error',
    );
    const root = await alice.client.createPost({ channel_id: town.id, message: 'root' });
    const reply = await bob.client.createPost({ channel_id: town.id, message: 'reply', root_id: root.id });
    await expectError(
      alice.client.createPost({ channel_id: town.id, message: 'r', root_id: reply.id }),
      400,
      'api.post.create_post.root_id.app_error',
    );
    await expectError(carol.client.getPost(foreign.id), 403, 'api.context.permissions.app_error');
    await expectError(alice.client.getPost('b'.repeat(26)), 404, 'app.post.get.app_error');
  });

  it('returns a thread: the post first, then root and replies oldest first, with reply counts', async () => {
    const root = await alice.client.createPost({ channel_id: town.id, message: 'thread root' });
    const r1 = await bob.client.createPost({ channel_id: town.id, message: 'r1', root_id: root.id });
    await sleep(2);
    const r2 = await alice.client.createPost({ channel_id: town.id, message: 'r2', root_id: root.id });
    const thread = await alice.client.getPostThread(root.id);
    expect(thread.order).toEqual([root.id, r1.id, r2.id]);
    expect((thread as PostList & { has_next: boolean }).has_next).toBe(false);
    expect(thread.posts[root.id]?.reply_count).toBe(2);
    expect(thread.posts[r1.id]?.reply_count).toBe(2);
    const fromReply = await bob.client.getPostThread(r2.id);
    expect(fromReply.order).toEqual([r2.id, root.id, r1.id]);
    expect((await alice.client.getPost(root.id)).reply_count).toBe(2);
  });
});

describe('channel posts paging', () => {
  let channel: ServerChannel;
  let newest: Post[]; // newest first

  beforeAll(async () => {
    channel = await newChannel(alice, [bob]);
    newest = (await postSeries(alice.client, channel.id, 10, 'page')).reverse();
  });
  const ids = (from: number, to: number) => newest.slice(from, to).map((p) => p.id);

  it('pages newest first with Mattermost cursors', async () => {
    const p0 = await bob.client.getPosts(channel.id, 0, 4);
    expect(p0.order).toEqual(ids(0, 4));
    expect(p0).toMatchObject({ next_post_id: '', prev_post_id: newest[4]?.id });
    const p1 = await bob.client.getPosts(channel.id, 1, 4);
    expect(p1.order).toEqual(ids(4, 8));
    expect(p1).toMatchObject({ next_post_id: newest[3]?.id, prev_post_id: newest[8]?.id });
    const p2 = await bob.client.getPosts(channel.id, 2, 4);
    expect(p2.order).toEqual(ids(8, 10));
    expect(p2).toMatchObject({ next_post_id: newest[7]?.id, prev_post_id: '' });
    expect(Object.keys(p2.posts).sort()).toEqual(ids(8, 10).sort());
  });

  it('pages before and after a post, relative to it', async () => {
    const pivot = newest[5]!.id;
    const before0 = await bob.client.getPostsBefore(channel.id, pivot, 0, 3);
    expect(before0.order).toEqual(ids(6, 9));
    expect(before0).toMatchObject({ next_post_id: pivot, prev_post_id: newest[9]?.id });
    const before1 = await bob.client.getPostsBefore(channel.id, pivot, 1, 3);
    expect(before1.order).toEqual(ids(9, 10));
    expect(before1).toMatchObject({ next_post_id: newest[8]?.id, prev_post_id: '' });
    const after0 = await bob.client.getPostsAfter(channel.id, pivot, 0, 3);
    expect(after0.order).toEqual(ids(2, 5));
    expect(after0).toMatchObject({ prev_post_id: pivot, next_post_id: newest[1]?.id });
    const after1 = await bob.client.getPostsAfter(channel.id, pivot, 1, 3);
    expect(after1.order).toEqual(ids(0, 2));
    expect(after1).toMatchObject({ prev_post_id: newest[2]?.id, next_post_id: '' });
    await expectError(
      bob.client.getPostsBefore(channel.id, 'not-an-id', 0, 3),
      400,
      'api.context.invalid_param.app_error',
    );
  });

  it('returns posts changed since a time, edits and deletions included, and hides deleted posts from pages', async () => {
    const since = newest[3]!.create_at;
    const plain = await bob.client.getPostsSince(channel.id, since);
    expect(plain.order).toEqual(ids(0, 3));
    expect(plain).toMatchObject({ next_post_id: '', prev_post_id: '' });

    const oldest = newest[9]!;
    const edited = await alice.client.patchPost({ id: oldest.id, message: 'page 0 (edited)' });
    expect(edited.edit_at).toBeGreaterThan(0);
    await alice.client.deletePost(newest[8]!.id);
    const changed = await bob.client.getPostsSince(channel.id, since);
    expect(changed.order.slice(0, 3)).toEqual(ids(0, 3));
    expect(changed.order).toContain(oldest.id);
    expect(changed.order).toContain(newest[8]!.id);
    expect(changed.posts[oldest.id]).toMatchObject({ message: 'page 0 (edited)', edit_at: edited.edit_at });
    expect(changed.posts[newest[8]!.id]?.delete_at).toBeGreaterThan(0);
    // The edit keeps the old version as a deleted copy pointing at the post, as Mattermost does.
    const history = Object.values(changed.posts).find((p) => p.original_id === oldest.id);
    expect(history).toMatchObject({ message: 'page 0', channel_id: channel.id });
    expect(history?.delete_at).toBeGreaterThan(0);

    const page = await bob.client.getPosts(channel.id, 0, 60);
    expect(page.order).toEqual([...ids(0, 8), oldest.id]);
  });

  it('caps per_page at 200', async () => {
    const bulk = await newChannel(alice, []);
    for (let i = 0; i < 205; i += 41) {
      await Promise.all(
        Array.from({ length: Math.min(41, 205 - i) }, (_, j) =>
          alice.client.createPost({ channel_id: bulk.id, message: `bulk ${i + j}` }),
        ),
      );
    }
    const first = await alice.client.getPosts(bulk.id, 0, 500);
    expect(first.order).toHaveLength(200);
    const second = await alice.client.getPosts(bulk.id, 1, 500);
    expect(second.order).toHaveLength(5);
    expect(new Set([...first.order, ...second.order]).size).toBe(205);
    expect((await alice.client.getChannel(bulk.id)).total_msg_count).toBe(205);
  });
});

describe('editing and deleting', () => {
  it('lets the author edit, others not, and checks the URL id', async () => {
    const post = await alice.client.createPost({ channel_id: town.id, message: 'draft text' });
    await sleep(2);
    const updated = await alice.client.updatePost({ ...post, message: 'final text' });
    expect(updated).toMatchObject({ id: post.id, message: 'final text' });
    expect(updated.edit_at).toBeGreaterThan(post.create_at);
    expect(updated.update_at).toBe(updated.edit_at);
    const pinned = await alice.client.patchPost({ id: post.id, is_pinned: true });
    expect(pinned).toMatchObject({ message: 'final text', is_pinned: true, edit_at: updated.edit_at });
    await expectError(
      bob.client.patchPost({ id: post.id, message: 'hijack' }),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(
      raw(alice.client).doFetchWithResponse(`${alice.client.getPostRoute(post.id)}`, {
        method: 'put',
        body: JSON.stringify({ id: 'c'.repeat(26), message: 'x' }),
      }),
      400,
      'api.context.invalid_param.app_error',
    );
  });

  it('soft-deletes a post (a root takes its replies with it), author or admin only', async () => {
    const root = await alice.client.createPost({ channel_id: town.id, message: 'to delete' });
    const reply = await bob.client.createPost({ channel_id: town.id, message: 'reply', root_id: root.id });
    await expectError(bob.client.deletePost(root.id), 403, 'api.context.permissions.app_error');
    expect(await alice.client.deletePost(root.id)).toEqual({ status: 'OK' });
    await expectError(alice.client.getPost(root.id), 404, 'app.post.get.app_error');
    await expectError(bob.client.getPost(reply.id), 404, 'app.post.get.app_error');
    await expectError(alice.client.deletePost(root.id), 404, 'app.post.get.app_error');
  });
});

describe('search', () => {
  let searchChannel: ServerChannel;
  let secret: ServerChannel;
  const p: Record<string, Post> = {};

  beforeAll(async () => {
    searchChannel = await newChannel(alice, [bob]);
    secret = await newChannel(alice, [], 'P');
    const create = async (key: string, who: SignedUp, channelId: string, message: string) => {
      p[key] = await who.client.createPost({ channel_id: channelId, message });
      await sleep(2);
    };
    await create('fox', alice, searchChannel.id, 'the quick brown fox jumps');
    await create('day', bob, searchChannel.id, 'quick thinking saves the day');
    await create('bag', alice, searchChannel.id, 'a brown paper bag');
    await create('keys', bob, searchChannel.id, 'searching for the lost keys');
    await create('secret', alice, secret.id, 'quick secret plan');
    await create('town', alice, town.id, 'quick town news');
  });
  const search = (who: SignedUp, terms: string, extra: Record<string, unknown> = {}) =>
    who.client.searchPostsWithParams(team.id, { terms, is_or_search: false, ...extra } as never) as Promise<
      PostList & { matches: Record<string, string[]> | null }
    >;

  it('ANDs words, ORs them on request, newest first, only in channels the caller is in', async () => {
    expect((await search(bob, 'quick brown')).order).toEqual([p.fox?.id]);
    expect((await search(bob, 'quick brown', { is_or_search: true })).order).toEqual(
      [p.town, p.bag, p.day, p.fox].map((x) => x?.id),
    );
    expect((await search(alice, 'quick', { is_or_search: true })).order).toEqual(
      [p.town, p.secret, p.day, p.fox].map((x) => x?.id),
    );
    expect((await search(bob, 'secret')).order).toEqual([]);
    expect((await search(carol, 'quick')).order).toEqual([]);
    await expectError(search(dave, 'quick'), 403, 'api.context.permissions.app_error');
  });

  it('matches phrases, prefixes and stems, and excludes -words', async () => {
    expect((await search(bob, '"brown fox"')).order).toEqual([p.fox?.id]);
    expect((await search(bob, '"fox brown"')).order).toEqual([]);
    expect((await search(bob, 'sear*')).order).toEqual([p.keys?.id]);
    const stemmed = await search(bob, 'search');
    expect(stemmed.order).toEqual([p.keys?.id]);
    expect(stemmed.matches?.[p.keys!.id]).toEqual(['searching']);
    expect((await search(bob, 'quick -fox')).order).toEqual([p.town?.id, p.day?.id]);
  });

  it('filters by from: and in:', async () => {
    expect((await search(alice, 'from:bob quick')).order).toEqual([p.day?.id]);
    expect((await search(alice, 'brown from:alice')).order).toEqual([p.bag?.id, p.fox?.id]);
    expect((await search(bob, `quick in:${searchChannel.name}`)).order).toEqual([p.day?.id, p.fox?.id]);
    expect((await search(bob, `quick -in:${searchChannel.name}`)).order).toEqual([p.town?.id]);
  });

  it('pages like the database search (everything on page 0, nothing after) and rejects empty terms', async () => {
    expect((await search(bob, 'quick', { page: 0, per_page: 1 })).order).toHaveLength(3);
    expect((await search(bob, 'quick', { page: 1, per_page: 1 })).order).toEqual([]);
    expect((await search(bob, '   ')).order).toEqual([]);
    await expectError(search(bob, ''), 400, 'api.context.invalid_param.app_error');
  });
});

describe('reactions', () => {
  it('adds, lists and removes reactions with Mattermost status codes and events data', async () => {
    const post = await alice.client.createPost({ channel_id: town.id, message: 'react to me' });
    const { response, data } = await raw(bob.client).doFetchWithResponse<Record<string, unknown>>(
      bob.client.getReactionsRoute(),
      { method: 'post', body: JSON.stringify({ user_id: bob.user.id, post_id: post.id, emoji_name: '+1' }) },
    );
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      user_id: bob.user.id,
      post_id: post.id,
      emoji_name: '+1',
      channel_id: town.id,
    });
    await sleep(2);
    await alice.client.addReaction(alice.user.id, post.id, 'smile');
    const list = await alice.client.getReactionsForPost(post.id);
    expect(list.map((r) => r.emoji_name)).toEqual(['+1', 'smile']);
    const withMetadata = await alice.client.getPost(post.id);
    expect(withMetadata.metadata.reactions?.map((r) => r.emoji_name)).toEqual(['+1', 'smile']);

    await expectError(
      bob.client.addReaction(alice.user.id, post.id, 'smile'),
      403,
      'api.reaction.save_reaction.user_id.app_error',
    );
    await expectError(bob.client.addReaction(bob.user.id, post.id, 'not valid!'), 400);
    await expectError(
      carol.client.addReaction(carol.user.id, post.id, 'smile'),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(bob.client.removeReaction(alice.user.id, post.id, 'smile'), 403);
    expect(await bob.client.removeReaction(bob.user.id, post.id, '+1')).toEqual({ status: 'OK' });
    expect((await bob.client.getReactionsForPost(post.id)).map((r) => r.emoji_name)).toEqual(['smile']);
  });
});

describe('drafts', () => {
  it('upserts, lists and deletes channel and thread drafts', async () => {
    const root = await alice.client.createPost({ channel_id: town.id, message: 'draft root' });
    const draft = { user_id: alice.user.id, channel_id: town.id, root_id: '', message: 'typing…' };
    const created = await alice.client.upsertDraft(draft as never, '');
    expect(created).toMatchObject({ ...draft, delete_at: 0 });
    await sleep(2);
    const updated = await alice.client.upsertDraft({ ...draft, message: 'typing more' } as never, '');
    expect(updated).toMatchObject({ message: 'typing more', create_at: created.create_at });
    expect(updated.update_at).toBeGreaterThan(created.update_at);
    await alice.client.upsertDraft({ ...draft, root_id: root.id, message: 'a reply draft' } as never, '');
    const drafts = await alice.client.getUserDrafts(team.id);
    expect(drafts.map((d) => [d.root_id, d.message])).toEqual([
      [root.id, 'a reply draft'],
      ['', 'typing more'],
    ]);
    expect(await alice.client.deleteDraft(town.id, '', '')).toEqual({ status: 'OK' });
    expect(await alice.client.deleteDraft(town.id, root.id, '')).toEqual({ status: 'OK' });
    expect(await alice.client.getUserDrafts(team.id)).toEqual([]);
    expect(await bob.client.getUserDrafts(team.id)).toEqual([]);
    await expectError(carol.client.upsertDraft(draft as never, ''), 403, 'api.context.permissions.app_error');
  });
});

describe('collapsed reply threads', () => {
  // Fresh users: the earlier tests left alice and bob following other threads.
  let erin: SignedUp;
  let frank: SignedUp;
  let channel: ServerChannel;

  beforeAll(async () => {
    [erin, frank] = await Promise.all([signUp(cluster.url, 'erin'), signUp(cluster.url, 'frank')]);
    await alice.client.addToTeam(team.id, erin.user.id);
    await alice.client.addToTeam(team.id, frank.user.id);
    channel = await newChannel(alice, [erin, frank]);
  });

  it('tracks followers, unread replies and mentions, read state and following', async () => {
    const root = await erin.client.createPost({ channel_id: channel.id, message: 'thread start' });
    const reply = await frank.client.createPost({
      channel_id: channel.id,
      message: 'hey @erin look',
      root_id: root.id,
    });

    const franks = await frank.client.getUserThreads(frank.user.id, team.id, {});
    expect(franks).toMatchObject({ total: 1, total_unread_threads: 0, total_unread_mentions: 0 });
    expect(franks.threads[0]).toMatchObject({
      id: root.id,
      reply_count: 1,
      last_reply_at: reply.create_at,
      unread_replies: 0,
      is_following: true,
    });
    expect(franks.threads[0]?.participants.map((u) => u.id)).toEqual([frank.user.id]);
    expect(franks.threads[0]?.post.id).toBe(root.id);

    const erins = await erin.client.getUserThreads(erin.user.id, team.id, { unread: true });
    expect(erins).toMatchObject({ total: 1, total_unread_threads: 1, total_unread_mentions: 1 });
    expect(erins.threads[0]).toMatchObject({ id: root.id, unread_replies: 1, unread_mentions: 1 });

    const read = await erin.client.updateThreadReadForUser(erin.user.id, team.id, root.id, Date.now());
    expect(read).toMatchObject({ id: root.id, unread_replies: 0, unread_mentions: 0 });
    expect((await erin.client.getUserThreads(erin.user.id, team.id, { unread: true })).threads).toEqual([]);

    expect(await erin.client.updateThreadFollowForUser(erin.user.id, team.id, root.id, false)).toEqual({
      status: 'OK',
    });
    expect((await erin.client.getUserThreads(erin.user.id, team.id, {})).total).toBe(0);
    await erin.client.updateThreadFollowForUser(erin.user.id, team.id, root.id, true);
    expect((await erin.client.getUserThread(erin.user.id, team.id, root.id)).is_following).toBe(true);

    await expectError(
      frank.client.getUserThreads(erin.user.id, team.id, {}),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(
      alice.client.getUserThread(alice.user.id, team.id, root.id),
      404,
      'app.user.get_thread_membership_for_user.not_found',
    );
  });

  it('pages threads by latest reply with before/after cursors', async () => {
    const roots: Post[] = [];
    for (let i = 0; i < 3; i++) {
      const root = await erin.client.createPost({ channel_id: channel.id, message: `t${i}` });
      await frank.client.createPost({ channel_id: channel.id, message: `r${i}`, root_id: root.id });
      roots.push(root);
      await sleep(2);
    }
    const ids = (threads: { id: string }[]) => threads.map((t) => t.id);
    const all = await frank.client.getUserThreads(frank.user.id, team.id, { perPage: 100 });
    expect(ids(all.threads).slice(0, 3)).toEqual([roots[2]?.id, roots[1]?.id, roots[0]?.id]);
    const first = await frank.client.getUserThreads(frank.user.id, team.id, { perPage: 2 });
    expect(ids(first.threads)).toEqual([roots[2]?.id, roots[1]?.id]);
    expect(first.total).toBe(4);
    const next = await frank.client.getUserThreads(frank.user.id, team.id, {
      perPage: 2,
      before: roots[1]!.id,
    });
    expect(ids(next.threads)[0]).toBe(roots[0]?.id);
    const back = await frank.client.getUserThreads(frank.user.id, team.id, {
      perPage: 2,
      after: roots[0]!.id,
    });
    expect(ids(back.threads)).toEqual([roots[2]?.id, roots[1]?.id]);
  });
});

describe('events', () => {
  it('publishes posted (with mentions), thread_updated, post_edited, reaction_added and post_deleted', async () => {
    const probe = await new WebSocketProbe(cluster.url, bob.client.getToken()).connect();
    const data = (event: string) => probe.eventsOf(event).map((e) => e.data as Record<string, string>);
    try {
      const root = await bob.client.createPost({ channel_id: town.id, message: 'root by bob' });
      const mention = await alice.client.createPost({
        channel_id: town.id,
        message: 'hi @bob.',
        root_id: root.id,
      });
      await probe.waitFor(() => data('posted').some((d) => d.post?.includes(mention.id)), 5_000, 'posted');
      const posted = data('posted').find((d) => d.post?.includes(mention.id))!;
      expect(posted).toMatchObject({
        channel_name: town.name,
        channel_type: 'O',
        sender_name: '@alice',
        team_id: team.id,
        set_online: true,
      });
      expect(JSON.parse(posted.mentions ?? '[]')).toEqual([bob.user.id]);
      expect(JSON.parse(posted.followers ?? '[]')).toEqual(
        expect.arrayContaining([alice.user.id, bob.user.id]),
      );
      expect(JSON.parse(posted.post ?? '{}')).toMatchObject({ id: mention.id, root_id: root.id });

      await probe.waitFor(() => data('thread_updated').length > 0, 5_000, 'thread_updated');
      const thread = JSON.parse(data('thread_updated').at(-1)?.thread ?? '{}');
      expect(thread).toMatchObject({ id: root.id, reply_count: 1, unread_replies: 1, unread_mentions: 1 });

      await alice.client.patchPost({ id: mention.id, message: 'hi again' });
      await alice.client.addReaction(alice.user.id, root.id, 'tada');
      await alice.client.deletePost(mention.id);
      await probe.waitFor(() => data('post_deleted').length > 0, 5_000, 'post_deleted');
      expect(JSON.parse(data('post_edited').at(-1)?.post ?? '{}')).toMatchObject({
        id: mention.id,
        message: 'hi again',
      });
      expect(JSON.parse(data('reaction_added').at(-1)?.reaction ?? '{}')).toMatchObject({
        user_id: alice.user.id,
        post_id: root.id,
        emoji_name: 'tada',
      });
      const deleted = data('post_deleted').at(-1)!;
      expect(deleted.delete_by).toBe(alice.user.id);
      expect(JSON.parse(deleted.post ?? '{}').delete_at).toBeGreaterThan(0);
    } finally {
      probe.close();
    }
  });
});
