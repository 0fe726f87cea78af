import type { ConformanceFixture } from './conformance-fixture.js';
import { pngBytes } from './conformance-fixture.js';
import { signUp } from './mattermost.js';

// One request per entry of client-endpoints.ts, as the client that sends it builds it (LTNG's
// argument values, the web app's queries), on the fixture's users and ids. Builders that change
// or delete something make their own object first, so the walk can run in any order.

export interface EndpointCall {
  path: string;
  body?: unknown;
  /** Overrides the caller's token; '' sends none. */
  token?: string;
  multipart?: FormData;
}
export type EndpointRequest = () => Promise<EndpointCall>;

export function endpointRequests(fx: ConformanceFixture): Record<string, EndpointRequest> {
  const { admin, alice, bob, ids: f } = fx;
  const cluster = { url: fx.url };
  const api = fx.api.bind(fx);
  const newPost = fx.newPost.bind(fx);
  const newScheduled = async () =>
    (
      await api(alice, 'POST', '/api/v4/posts/schedule', {
        channel_id: f.channel,
        message: 'later',
        scheduled_at: Date.now() + 86_400_000,
      })
    ).id as string;
  const newBookmark = async () =>
    (
      await api(alice, 'POST', `/api/v4/channels/${f.channel}/bookmarks`, {
        display_name: 'docs',
        type: 'link',
        link_url: 'http://127.0.0.1/docs',
      })
    ).id as string;
  return {
    'GET /': async () => ({ path: '/' }),
    'GET /api/v4/system/ping': async () => ({ path: '/api/v4/system/ping' }),
    'GET /api/v4/config/client': async () => ({ path: '/api/v4/config/client?format=old' }),
    'GET /api/v4/config': async () => ({ path: '/api/v4/config', token: admin.client.getToken() }),
    'GET /api/v4/license/client': async () => ({ path: '/api/v4/license/client?format=old' }),
    'GET /api/v4/limits/server': async () => ({ path: '/api/v4/limits/server' }),
    'GET /api/v4/plugins/webapp': async () => ({ path: '/api/v4/plugins/webapp' }),
    'POST /api/v4/roles/names': async () => ({
      path: '/api/v4/roles/names',
      body: ['system_user', 'team_user', 'channel_user'],
    }),
    'POST /api/v4/client_perf': async () => ({
      path: '/api/v4/client_perf',
      body: {
        version: '0.1.0',
        client_id: 'x',
        labels: { platform: 'other', agent: 'other' },
        start: 0,
        end: 1,
        histograms: [],
      },
    }),
    'GET /api/v4/reports/users': async () => ({
      path: '/api/v4/reports/users?page_size=50&sort_column=Username',
      token: admin.client.getToken(),
    }),
    'POST /api/v4/users/login': async () => ({
      path: '/api/v4/users/login',
      body: { login_id: `${bob.user.username}@double.test`, password: bob.password },
      token: '',
    }),
    'POST /api/v4/users/logout': async () => {
      const res = await fetch(`${cluster.url}/api/v4/users/login`, {
        method: 'POST',
        body: JSON.stringify({ login_id: bob.user.username, password: bob.password }),
      });
      return { path: '/api/v4/users/logout', token: res.headers.get('Token') ?? '' };
    },
    'POST /api/v4/users': async () => {
      const name = `n${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      return {
        path: '/api/v4/users',
        body: { username: name, email: `${name}@double.test`, password: 'Passw0rd-x' },
        token: '',
      };
    },
    'GET /api/v4/users/me': async () => ({ path: '/api/v4/users/me' }),
    'GET /api/v4/users/{user_id}': async () => ({ path: `/api/v4/users/${bob.user.id}` }),
    'GET /api/v4/users/username/{username}': async () => ({
      path: `/api/v4/users/username/${bob.user.username}`,
    }),
    'GET /api/v4/users': async () => ({ path: '/api/v4/users?page=0&per_page=100' }),
    'POST /api/v4/users/ids': async () => ({ path: `/api/v4/users/ids?since=0`, body: [bob.user.id] }),
    'POST /api/v4/users/usernames': async () => ({
      path: '/api/v4/users/usernames',
      body: [bob.user.username],
    }),
    'POST /api/v4/users/search': async () => ({
      path: '/api/v4/users/search',
      body: { term: bob.user.username.slice(0, 3), limit: 100 },
    }),
    'GET /api/v4/users/autocomplete': async () => ({
      path: `/api/v4/users/autocomplete?in_channel=${f.channel}&in_team=${f.team}&limit=100&name=${bob.user.username.slice(0, 2)}`,
    }),
    'GET /api/v4/users/{user_id}/image': async () => ({ path: `/api/v4/users/${bob.user.id}/image?_=0` }),
    'GET /api/v4/users/{user_id}/image/default': async () => ({
      path: `/api/v4/users/${bob.user.id}/image/default`,
    }),
    'GET /api/v4/users/{user_id}/status': async () => ({ path: '/api/v4/users/me/status' }),
    'POST /api/v4/users/status/ids': async () => ({
      path: '/api/v4/users/status/ids',
      body: [alice.user.id, bob.user.id],
    }),
    'PUT /api/v4/users/{user_id}/status/custom': async () => ({
      path: `/api/v4/users/${alice.user.id}/status/custom`,
      body: {
        emoji: 'calendar',
        text: 'In a meeting',
        duration: 'thirty_minutes',
        expires_at: new Date(Date.now() + 1_800_000).toISOString(),
      },
    }),
    'DELETE /api/v4/users/{user_id}/status/custom': async () => ({
      path: `/api/v4/users/${alice.user.id}/status/custom`,
    }),
    'GET /api/v4/users/{user_id}/preferences': async () => ({ path: '/api/v4/users/me/preferences' }),
    'PUT /api/v4/users/{user_id}/preferences': async () => ({
      path: `/api/v4/users/${alice.user.id}/preferences`,
      body: [
        { user_id: alice.user.id, category: 'direct_channel_show', name: bob.user.id, value: 'true' },
        { user_id: alice.user.id, category: 'channel_open_time', name: f.dm!, value: String(Date.now()) },
      ],
    }),
    'POST /api/v4/users/{user_id}/preferences/delete': async () => ({
      path: '/api/v4/users/me/preferences/delete',
      body: [{ user_id: alice.user.id, category: 'channel_open_time', name: f.dm!, value: '' }],
    }),
    'GET /api/v4/users/{user_id}/preferences/{category}': async () => ({
      path: '/api/v4/users/me/preferences/direct_channel_show',
    }),
    'GET /api/v4/users/{user_id}/custom_profile_attributes': async () => ({
      path: `/api/v4/users/${bob.user.id}/custom_profile_attributes`,
    }),
    'POST /api/v4/users/{user_id}/posts/{post_id}/reminder': async () => ({
      path: `/api/v4/users/${alice.user.id}/posts/${f.post}/reminder`,
      body: { target_time: Math.floor(Date.now() / 1000) + 600, PostId: f.post, UserId: alice.user.id },
    }),
    'POST /api/v4/users/{user_id}/posts/{post_id}/ack': async () => ({
      path: `/api/v4/users/${alice.user.id}/posts/${f.post}/ack`,
    }),
    'GET /api/v4/users/{user_id}/posts/flagged': async () => ({ path: '/api/v4/users/me/posts/flagged' }),
    'GET /api/v4/users/{user_id}/teams': async () => ({ path: '/api/v4/users/me/teams' }),
    'GET /api/v4/users/{user_id}/teams/members': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/members`,
    }),
    'GET /api/v4/users/{user_id}/teams/unread': async () => ({
      path: '/api/v4/users/me/teams/unread?include_collapsed_threads=true',
    }),
    'GET /api/v4/users/{user_id}/teams/{team_id}/channels': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/channels?include_deleted=true`,
    }),
    'GET /api/v4/users/{user_id}/teams/{team_id}/channels/members': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/channels/members`,
    }),
    'GET /api/v4/users/{user_id}/teams/{team_id}/channels/categories': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/channels/categories`,
    }),
    'POST /api/v4/users/{user_id}/teams/{team_id}/channels/categories': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/channels/categories`,
      body: { user_id: alice.user.id, team_id: f.team, display_name: 'Mine' },
    }),
    'PUT /api/v4/users/{user_id}/teams/{team_id}/channels/categories': async () => {
      const got = await api(
        alice,
        'GET',
        `/api/v4/users/${alice.user.id}/teams/${f.team}/channels/categories`,
      );
      const [fav, chans] = [got.categories[0], got.categories[1]];
      const moved = chans.channel_ids[0];
      return {
        path: `/api/v4/users/${alice.user.id}/teams/${f.team}/channels/categories`,
        body: [
          { ...fav, channel_ids: [...fav.channel_ids, moved] },
          { ...chans, channel_ids: chans.channel_ids.slice(1) },
        ],
      };
    },
    'GET /api/v4/users/{user_id}/channels': async () => ({
      path: `/api/v4/users/${alice.user.id}/channels?last_delete_at=0`,
    }),
    'GET /api/v4/users/{user_id}/channel_members': async () => ({
      path: `/api/v4/users/${alice.user.id}/channel_members?page=0&per_page=200`,
    }),
    'GET /api/v4/users/{user_id}/channels/{channel_id}/unread': async () => ({
      path: `/api/v4/users/${alice.user.id}/channels/${f.channel}/unread`,
    }),
    'GET /api/v4/users/{user_id}/channels/{channel_id}/posts/unread': async () => ({
      path: `/api/v4/users/me/channels/${f.channel}/posts/unread?limit_after=30&limit_before=30&skipFetchThreads=false&collapsedThreads=true&collapsedThreadsExtended=false`,
    }),
    'GET /api/v4/users/{user_id}/teams/{team_id}/threads': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/threads?per_page=25&threadsOnly=true`,
    }),
    'PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/threads/${f.root}/read/${Date.now()}`,
    }),
    'PUT /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/threads/${f.root}/following`,
    }),
    'DELETE /api/v4/users/{user_id}/teams/{team_id}/threads/{thread_id}/following': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/threads/${f.root}/following`,
    }),
    'PUT /api/v4/users/{user_id}/teams/{team_id}/threads/read': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/threads/read`,
    }),
    'GET /api/v4/users/{user_id}/teams/{team_id}/drafts': async () => ({
      path: `/api/v4/users/${alice.user.id}/teams/${f.team}/drafts`,
    }),
    'POST /api/v4/drafts': async () => ({
      path: '/api/v4/drafts',
      body: { user_id: alice.user.id, channel_id: f.channel, root_id: '', message: 'draft' },
    }),
    'DELETE /api/v4/users/{user_id}/channels/{channel_id}/drafts': async () => {
      await api(alice, 'POST', '/api/v4/drafts', {
        user_id: alice.user.id,
        channel_id: f.channel,
        root_id: '',
        message: 'draft',
      });
      return { path: `/api/v4/users/${alice.user.id}/channels/${f.channel}/drafts` };
    },
    'GET /api/v4/teams': async () => ({ path: '/api/v4/teams?page=0&per_page=100' }),
    'GET /api/v4/teams/{team_id}': async () => ({ path: `/api/v4/teams/${f.team}` }),
    'GET /api/v4/teams/name/{team_name}': async () => ({ path: `/api/v4/teams/name/${f.teamName}` }),
    'POST /api/v4/teams/{team_id}/members': async () => {
      const carol = await signUp(cluster.url);
      return { path: `/api/v4/teams/${f.team}/members`, body: { team_id: f.team, user_id: carol.user.id } };
    },
    'GET /api/v4/teams/{team_id}/members/{user_id}': async () => ({
      path: `/api/v4/teams/${f.team}/members/${bob.user.id}`,
    }),
    'GET /api/v4/teams/{team_id}/stats': async () => ({ path: `/api/v4/teams/${f.team}/stats` }),
    'GET /api/v4/teams/{team_id}/channels': async () => ({
      path: `/api/v4/teams/${f.team}/channels?page=0&per_page=100`,
    }),
    'GET /api/v4/teams/{team_id}/channels/search_autocomplete': async () => ({
      path: `/api/v4/teams/${f.team}/channels/search_autocomplete?name=co`,
    }),
    'GET /api/v4/teams/{team_id}/channels/autocomplete': async () => ({
      path: `/api/v4/teams/${f.team}/channels/autocomplete?name=co`,
    }),
    'POST /api/v4/teams/{team_id}/channels/search': async () => ({
      path: `/api/v4/teams/${f.team}/channels/search`,
      body: { term: 'co' },
    }),
    'GET /api/v4/teams/name/{team_name}/channels/name/{channel_name}': async () => ({
      path: `/api/v4/teams/name/${f.teamName}/channels/name/${f.channelName}`,
    }),
    'POST /api/v4/teams/{team_id}/posts/search': async () => ({
      path: `/api/v4/teams/${f.team}/posts/search`,
      body: { terms: 'hello', is_or_search: false },
    }),
    'POST /api/v4/channels': async () => ({
      path: '/api/v4/channels',
      body: { team_id: f.team, name: `p${Date.now().toString(36)}`, display_name: 'Private one', type: 'P' },
    }),
    'GET /api/v4/channels/{channel_id}': async () => ({ path: `/api/v4/channels/${f.channel}` }),
    'POST /api/v4/channels/direct': async () => ({
      path: '/api/v4/channels/direct',
      body: [alice.user.id, bob.user.id],
    }),
    'POST /api/v4/channels/group': async () => ({
      path: '/api/v4/channels/group',
      body: [bob.user.id, admin.user.id],
    }),
    'POST /api/v4/channels/search': async () => ({
      path: '/api/v4/channels/search?system_console=false',
      body: { term: 'co' },
    }),
    'POST /api/v4/channels/group/search': async () => ({
      path: '/api/v4/channels/group/search',
      body: { term: bob.user.username },
    }),
    'GET /api/v4/channels/{channel_id}/stats': async () => ({
      path: `/api/v4/channels/${f.channel}/stats?exclude_files_count=true`,
    }),
    'GET /api/v4/channels/{channel_id}/members': async () => ({
      path: `/api/v4/channels/${f.channel}/members?page=0&per_page=100`,
    }),
    'GET /api/v4/channels/{channel_id}/members/{user_id}': async () => ({
      path: `/api/v4/channels/${f.channel}/members/${alice.user.id}`,
    }),
    'POST /api/v4/channels/{channel_id}/members': async () => {
      const dave = await signUp(cluster.url);
      await api(alice, 'POST', `/api/v4/teams/${f.team}/members`, { team_id: f.team, user_id: dave.user.id });
      return { path: `/api/v4/channels/${f.channel}/members`, body: { user_id: dave.user.id } };
    },
    'POST /api/v4/channels/members/{user_id}/view': async () => ({
      path: `/api/v4/channels/members/${alice.user.id}/view`,
      body: { channel_id: f.channel, prev_channel_id: '', collapsed_threads_supported: true },
    }),
    'GET /api/v4/channels/{channel_id}/posts': async () => ({
      path: `/api/v4/channels/${f.channel}/posts?page=0&per_page=30&collapsedThreads=true`,
    }),
    'GET /api/v4/channels/{channel_id}/pinned': async () => ({
      path: `/api/v4/channels/${f.channel}/pinned`,
    }),
    'GET /api/v4/channels/{channel_id}/bookmarks': async () => ({
      path: `/api/v4/channels/${f.channel}/bookmarks?bookmarks_since=0`,
    }),
    'POST /api/v4/channels/{channel_id}/bookmarks': async () => ({
      path: `/api/v4/channels/${f.channel}/bookmarks`,
      body: { display_name: 'site', type: 'link', link_url: 'http://127.0.0.1/' },
    }),
    'PATCH /api/v4/channels/{channel_id}/bookmarks/{bookmark_id}': async () => ({
      path: `/api/v4/channels/${f.channel}/bookmarks/${await newBookmark()}`,
      body: { display_name: 'renamed' },
    }),
    'POST /api/v4/channels/{channel_id}/bookmarks/{bookmark_id}/sort_order': async () => {
      await newBookmark();
      return { path: `/api/v4/channels/${f.channel}/bookmarks/${await newBookmark()}/sort_order`, body: 0 };
    },
    'DELETE /api/v4/channels/{channel_id}/bookmarks/{bookmark_id}': async () => ({
      path: `/api/v4/channels/${f.channel}/bookmarks/${await newBookmark()}`,
    }),
    'POST /api/v4/posts': async () => ({
      path: '/api/v4/posts',
      body: { channel_id: f.channel, message: 'hi there', pending_post_id: `${alice.user.id}:${Date.now()}` },
    }),
    'GET /api/v4/posts/{post_id}': async () => ({ path: `/api/v4/posts/${f.post}` }),
    'PUT /api/v4/posts/{post_id}/patch': async () => ({
      path: `/api/v4/posts/${await newPost()}/patch`,
      body: { message: 'edited' },
    }),
    'DELETE /api/v4/posts/{post_id}': async () => ({ path: `/api/v4/posts/${await newPost()}` }),
    'GET /api/v4/posts/{post_id}/thread': async () => ({
      path: `/api/v4/posts/${f.root}/thread?collapsedThreads=true&direction=down&perPage=25`,
    }),
    'POST /api/v4/posts/ids': async () => ({ path: '/api/v4/posts/ids', body: [f.post, f.root] }),
    'POST /api/v4/posts/search': async () => ({
      path: '/api/v4/posts/search',
      body: { terms: 'hello', is_or_search: false },
    }),
    'POST /api/v4/posts/{post_id}/pin': async () => ({ path: `/api/v4/posts/${f.post}/pin` }),
    'POST /api/v4/posts/{post_id}/unpin': async () => ({ path: `/api/v4/posts/${await newPost()}/unpin` }),
    'POST /api/v4/reactions': async () => ({
      path: '/api/v4/reactions',
      body: { user_id: alice.user.id, post_id: await newPost(), emoji_name: 'smile' },
    }),
    'POST /api/v4/posts/schedule': async () => ({
      path: '/api/v4/posts/schedule',
      body: { channel_id: f.channel, message: 'later', scheduled_at: Date.now() + 172_800_000 },
    }),
    'PUT /api/v4/posts/schedule/{scheduled_post_id}': async () => {
      const id = await newScheduled();
      return {
        path: `/api/v4/posts/schedule/${id}`,
        body: { id, channel_id: f.channel, message: 'changed', scheduled_at: Date.now() + 86_400_000 },
      };
    },
    'DELETE /api/v4/posts/schedule/{scheduled_post_id}': async () => ({
      path: `/api/v4/posts/schedule/${await newScheduled()}`,
    }),
    'GET /api/v4/posts/scheduled/team/{team_id}': async () => ({
      path: `/api/v4/posts/scheduled/team/${f.team}?includeDirectChannels=true`,
    }),
    'POST /api/v4/files': async () => {
      const form = new FormData();
      form.append('channel_id', f.channel!);
      form.append('files', new Blob([pngBytes(40, 30)]), 'test_upload.png');
      return { path: '/api/v4/files', multipart: form };
    },
    'GET /api/v4/files/{file_id}/info': async () => ({ path: `/api/v4/files/${f.image}/info` }),
    'GET /api/v4/files/{file_id}/thumbnail': async () => ({ path: `/api/v4/files/${f.image}/thumbnail` }),
    'GET /api/v4/files/{file_id}/preview': async () => ({ path: `/api/v4/files/${f.image}/preview` }),
    'GET /api/v4/custom_profile_attributes/fields': async () => ({
      path: '/api/v4/custom_profile_attributes/fields',
    }),
    'PATCH /api/v4/custom_profile_attributes/values': async () => {
      const fields = await api(alice, 'GET', '/api/v4/custom_profile_attributes/fields');
      return { path: '/api/v4/custom_profile_attributes/values', body: { [fields[0].id]: 'Engineering' } };
    },
  };
}
