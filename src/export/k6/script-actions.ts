// The generated k6 script, part 3: the actions of mmdrill's user model, one function each, with
// the requests the web app sends for them (the same as src/mattermost/actions/*, through REST v4
// and the WebSocket).

export const ACTIONS_SOURCE = `
// ---- the actions (the web app's requests for each; mmdrill's src/mattermost/actions) --------
type ActionFn = (user: User) => Promise<void>;

const EMOJIS = ['+1', 'smile', 'heart', 'tada', 'eyes', 'white_check_mark', 'thinking_face', 'rocket'];

function words(min: number, max: number): string {
  const n = min + Math.floor(Math.random() * (max - min + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pick(MMDRILL.words) ?? 'update');
  return out.join(' ');
}

const ch = (id: string) => '/api/v4/channels/' + id;
const CH = '/api/v4/channels/{channel_id}';

async function view(user: User, action: string, channelId: string, prev = ''): Promise<void> {
  ok(await call(user, action, 'POST', '/api/v4/channels/members/me/view', '/api/v4/channels/members/me/view',
    { channel_id: channelId, prev_channel_id: prev }));
}

async function latestPosts(user: User, action: string, channelId: string, perPage: number): Promise<void> {
  show(user, channelId, ok<PostList>(await call(user, action, 'GET',
    ch(channelId) + '/posts?page=0&per_page=' + perPage, CH + '/posts')));
}

async function somePostOnScreen(user: User, action: string): Promise<string | undefined> {
  const known = pick(user.recent);
  if (known !== undefined) return known.id;
  await latestPosts(user, action, screenChannel(user), 30);
  return pick(user.recent)?.id;
}

async function createPost(user: User, action: string, channelId: string, rootId: string, fileIds: string[], text: string): Promise<void> {
  // The send time rides in the message: every member's posted event measures the delivery.
  const message = text + ' [mm:' + Date.now() + ']';
  const post = ok<{ id: string }>(await call(user, action, 'POST', '/api/v4/posts', '/api/v4/posts',
    { channel_id: channelId, message, root_id: rootId, file_ids: fileIds }));
  deliveryPosts.add(1);
  const ref = { id: post.id, rootId, userId: user.id, channelId };
  user.own = user.own.concat([ref]).slice(-20);
}

async function loadThreads(user: User, action: string): Promise<void> {
  const list = ok<{ threads: { id: string }[] }>(await call(user, action, 'GET',
    '/api/v4/users/' + user.id + '/teams/' + user.teamId + '/threads?per_page=25&extended=false',
    '/api/v4/users/{user_id}/teams/{team_id}/threads'));
  user.threads = (list.threads ?? []).map((t) => t.id).slice(0, 10);
}

const ACTIONS: Record<string, ActionFn> = {
  async switch_channel(user) {
    const a = 'switch_channel';
    const target = pick(user.channels.filter((c) => c.id !== user.current)) ?? pick(user.channels);
    if (target === undefined) throw new Error(user.username + ' has no channel to switch to');
    if (user.current !== '') await view(user, a, user.current);
    const since = user.viewedAt[target.id];
    const query = since === undefined ? '?page=0&per_page=60' : '?since=' + since;
    const posts = ok<PostList>(await call(user, a, 'GET', ch(target.id) + '/posts' + query, CH + '/posts'));
    ok(await call(user, a, 'GET', ch(target.id) + '/stats?exclude_files_count=true', CH + '/stats'));
    await view(user, a, target.id);
    show(user, target.id, posts);
  },
  async scroll_channel(user) {
    const a = 'scroll_channel';
    const channelId = screenChannel(user);
    const oldest = user.recent[0];
    if (oldest === undefined) return latestPosts(user, a, channelId, 30);
    const older = refs(ok<PostList>(await call(user, a, 'GET',
      ch(channelId) + '/posts?before=' + oldest.id + '&page=0&per_page=30', CH + '/posts'))).reverse();
    user.recent = older.concat(user.recent).slice(0, 120);
    remember(user, older);
  },
  async delete_draft(user) {
    ok(await call(user, 'delete_draft', 'DELETE', '/api/v4/users/me/channels/' + screenChannel(user) + '/drafts',
      '/api/v4/users/me/channels/{channel_id}/drafts'));
  },
  async unread_check(user) {
    const a = 'unread_check';
    ok(await call(user, a, 'GET', '/api/v4/users/me/teams/' + user.teamId + '/channels',
      '/api/v4/users/me/teams/{team_id}/channels'));
    ok(await call(user, a, 'GET', '/api/v4/users/me/teams/' + user.teamId + '/channels/members',
      '/api/v4/users/me/teams/{team_id}/channels/members'));
    await view(user, a, screenChannel(user));
  },
  async create_post(user) {
    const channelId = screenChannel(user);
    const parent = Math.random() < MMDRILL.replyShare ? pick(user.recent) : undefined;
    const rootId = parent === undefined ? '' : parent.rootId || parent.id;
    sendOnSocket(user, 'user_typing', { channel_id: channelId, parent_id: rootId });
    await createPost(user, 'create_post', channelId, rootId, [], words(3, 20));
  },
  async open_direct_channel(user) {
    const a = 'open_direct_channel';
    const others = user.directory.filter((u) => u.id !== user.id);
    const group = others.length >= 2 && Math.random() < 0.2;
    const wanted = group ? 2 + Math.floor(Math.random() * (Math.min(others.length, 6) - 1)) : 1;
    const partners: Record<string, true> = {};
    while (Object.keys(partners).length < Math.min(wanted, others.length)) {
      const other = pick(others);
      if (other !== undefined) partners[other.id] = true;
    }
    const ids = [user.id].concat(Object.keys(partners));
    const path = group ? '/api/v4/channels/group' : '/api/v4/channels/direct';
    const channel = ok<{ id: string }>(await call(user, a, 'POST', path, path, ids));
    const posts = ok<PostList>(await call(user, a, 'GET', ch(channel.id) + '/posts?page=0&per_page=60', CH + '/posts'));
    await view(user, a, channel.id);
    show(user, channel.id, posts);
  },
  async view_global_threads(user) {
    await loadThreads(user, 'view_global_threads');
  },
  async upsert_draft(user) {
    const now = Date.now();
    ok(await call(user, 'upsert_draft', 'POST', '/api/v4/drafts', '/api/v4/drafts', {
      user_id: user.id, channel_id: screenChannel(user), root_id: '', message: words(1, 6), props: {},
      file_ids: [], create_at: now, update_at: now, delete_at: 0,
    }));
  },
  async update_thread_read(user) {
    const a = 'update_thread_read';
    if (user.threads.length === 0) await loadThreads(user, a);
    const threadId = pick(user.threads);
    if (threadId === undefined) return;
    ok(await call(user, a, 'PUT',
      '/api/v4/users/' + user.id + '/teams/' + user.teamId + '/threads/' + threadId + '/read/' + Date.now(),
      '/api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}'));
  },
  async click_permalink(user) {
    const a = 'click_permalink';
    const postId = pick(user.seen)?.id ?? (await somePostOnScreen(user, a));
    if (postId === undefined) return;
    ok(await call(user, a, 'GET', '/api/v4/posts/' + postId, '/api/v4/posts/{post_id}'));
    ok(await call(user, a, 'GET', '/api/v4/posts/' + postId + '/thread', '/api/v4/posts/{post_id}/thread'));
  },
  async view_thread(user) {
    const a = 'view_thread';
    const known = pick(user.recent);
    const rootId = known !== undefined ? known.rootId || known.id : await somePostOnScreen(user, a);
    if (rootId === undefined) return;
    remember(user, refs(ok<PostList>(await call(user, a, 'GET', '/api/v4/posts/' + rootId + '/thread',
      '/api/v4/posts/{post_id}/thread'))));
  },
  async reconnect_websocket(user) {
    if (user.socket !== null) return cutSocket(user);
    // Open model (no session socket): a connect and hello, measured, then closed.
    await probeSocket(user);
  },
  async add_reaction(user) {
    const a = 'add_reaction';
    const postId = await somePostOnScreen(user, a);
    if (postId === undefined) return;
    ok(await call(user, a, 'POST', '/api/v4/reactions', '/api/v4/reactions',
      { user_id: user.id, post_id: postId, emoji_name: pick(EMOJIS) ?? '+1' }));
  },
  async edit_post(user) {
    const a = 'edit_post';
    let post = pick(user.own);
    if (post === undefined) {
      await latestPosts(user, a, screenChannel(user), 30);
      post = pick(user.recent.filter((p) => p.userId === user.id));
    }
    if (post === undefined) return;
    ok(await call(user, a, 'PUT', '/api/v4/posts/' + post.id + '/patch', '/api/v4/posts/{post_id}/patch',
      { id: post.id, message: words(3, 20) + ' (edited)' }));
  },
  async get_drafts(user) {
    ok(await call(user, 'get_drafts', 'GET', '/api/v4/users/me/teams/' + user.teamId + '/drafts',
      '/api/v4/users/me/teams/{team_id}/drafts'));
  },
  async search_users(user) {
    const name = pick(user.directory)?.username ?? user.username;
    ok(await call(user, 'search_users', 'POST', '/api/v4/users/search', '/api/v4/users/search',
      { term: name.slice(0, 3 + Math.floor(Math.random() * 3)), team_id: user.teamId, allow_inactive: false }));
  },
  async search_posts(user) {
    ok(await call(user, 'search_posts', 'POST', '/api/v4/teams/' + user.teamId + '/posts/search',
      '/api/v4/teams/{team_id}/posts/search', {
        terms: pick(MMDRILL.words) ?? 'update', is_or_search: false, time_zone_offset: 0,
        include_deleted_channels: false, page: 0, per_page: 20,
      }));
  },
  async search_channels(user) {
    const name = pick(user.channels)?.name || 'town';
    ok(await call(user, 'search_channels', 'POST', '/api/v4/teams/' + user.teamId + '/channels/search',
      '/api/v4/teams/{team_id}/channels/search', { term: name.slice(0, 2 + Math.floor(Math.random() * 3)) }));
  },
  async typing(user) {
    const channelId = screenChannel(user);
    if (sendOnSocket(user, 'user_typing', { channel_id: channelId, parent_id: '' })) return;
    // Open model (no session socket): the REST form of the same event.
    ok(await call(user, 'typing', 'POST', '/api/v4/users/' + user.id + '/typing', '/api/v4/users/{user_id}/typing',
      { channel_id: channelId, parent_id: '' }));
  },
  async upload_file(user) {
    const a = 'upload_file';
    const channelId = screenChannel(user);
    const size = 1024 * (1 + Math.floor(Math.random() * 32));
    const form = {
      channel_id: channelId,
      client_ids: user.id + '-' + Date.now(),
      files: http.file(new Uint8Array(size).buffer, 'attachment.bin', 'application/octet-stream'),
    };
    const uploaded = ok<{ file_infos: { id: string }[] }>(
      await call(user, a, 'POST', '/api/v4/files', '/api/v4/files', undefined, form));
    await createPost(user, a, channelId, '', uploaded.file_infos.map((f) => f.id), words(1, 6));
  },
  async ping(user) {
    ok(await call(user, 'ping', 'GET', '/api/v4/system/ping', '/api/v4/system/ping'));
  },
  async get_posts(user) {
    await latestPosts(user, 'get_posts', screenChannel(user), 30);
  },
};

/** The periodic status fetch (every statusInterval, as the web app does); not part of the mix. */
async function getStatuses(user: User): Promise<void> {
  const ids: Record<string, true> = {};
  ids[user.id] = true;
  for (const p of user.recent) {
    if (Object.keys(ids).length >= 50) break;
    ids[p.userId] = true;
  }
  await runAction(user, 'get_statuses', async () => {
    ok(await call(user, 'get_statuses', 'POST', '/api/v4/users/status/ids', '/api/v4/users/status/ids',
      Object.keys(ids)));
  });
}

/** A connect, measured until the first event, then closed (open model's reconnect_websocket). */
function probeSocket(user: User): Promise<void> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    let finished = false;
    const ws = new WebSocket(WS_URL, null, {
      headers: { Authorization: 'Bearer ' + user.token },
      tags: { name: '/api/v4/websocket' },
    });
    const done = (result: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      wsConnects.add(1, { result });
      if (result !== 'failed') wsReconnectTime.add(Date.now() - startedAt);
      ws.close();
      resolve();
    };
    const timer = setTimeout(() => done('failed'), 10000);
    ws.onmessage = () => done('hello');
    ws.onerror = () => done('failed');
  });
}

let failuresLogged = 0;

/** Runs one action with mmdrill's action metrics: duration (all requests) and outcome. */
async function runAction(user: User, name: string, fn?: () => Promise<void>): Promise<void> {
  const run = fn ?? (() => {
    const action = ACTIONS[name];
    if (action === undefined) throw new Error('unknown action ' + name);
    return action(user);
  });
  const startedAt = Date.now();
  let succeeded = true;
  try {
    await run();
  } catch (error) {
    succeeded = false;
    // A few per VU say what goes wrong; mm_actions{ok:false} counts them all.
    if (failuresLogged++ < 3) console.warn(name + ': ' + String(error));
  }
  actionDuration.add(Date.now() - startedAt, { action: name });
  actions.add(1, { action: name, ok: String(succeeded) });
}
`;
