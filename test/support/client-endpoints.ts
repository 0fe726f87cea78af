// The one list of REST endpoints real Mattermost clients call: the web app's login, first load and
// resync, and every Client4 call reached by load-test-ng's simulcontroller (actions, startup,
// periodic and event-driven requests). Source: load-test-ng's simulcontroller and the web app (docs/protocol.md, docs/scenarios.md);
// keys: its section 7 (what Mattermost's Go model always writes). The double's conformance test
// walks this list and fails on any entry the double does not serve with this status and shape,
// and the harness's user model (src/load, src/mattermost) is checked against it, so the two sides
// agree on one list instead of each keeping its own. Data only: no requests are built here.

import {
  BOOKMARK_KEYS,
  CHANNEL_KEYS,
  CHANNEL_MEMBER_KEYS,
  CHANNEL_STATS_KEYS,
  FILE_INFO_KEYS,
  POST_KEYS,
  POST_LIST_KEYS,
  PREFERENCE_KEYS,
  REACTION_KEYS,
  ROLE_KEYS,
  SCHEDULED_POST_KEYS,
  SIDEBAR_CATEGORY_KEYS,
  STATUS_KEYS,
  STATUS_OK_KEYS,
  TEAM_KEYS,
  TEAM_MEMBER_KEYS,
  TEAM_UNREAD_KEYS,
  THREADS_KEYS,
  USER_KEYS,
} from './wire-keys.js';

export type EndpointMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the success body is: JSON object/array/map, an image, HTML, or nothing to check. */
export type EndpointBody = 'object' | 'array' | 'map' | 'png' | 'jpeg' | 'html' | 'none';

/** Which real client sends the request. */
export type EndpointClient = 'webapp' | 'ltng';

export interface ClientEndpoint {
  readonly method: EndpointMethod;
  /** Absolute path template; parameters in braces: {user_id} also takes the alias `me`. */
  readonly path: string;
  /** Mattermost's status on success. */
  readonly status: number;
  readonly body: EndpointBody;
  /** Keys that must be present on the object, on each array element, or on each map value. */
  readonly keys: readonly string[];
  /** For an object body: the key holding the list whose elements must carry `keys`. */
  readonly itemsAt?: string;
  readonly clients: readonly EndpointClient[];
}

const BOTH: readonly EndpointClient[] = ['webapp', 'ltng'];
const LTNG: readonly EndpointClient[] = ['ltng'];
const WEBAPP: readonly EndpointClient[] = ['webapp'];

function ep(
  method: EndpointMethod,
  path: string,
  status: number,
  body: EndpointBody,
  keys: readonly string[],
  clients: readonly EndpointClient[],
  itemsAt?: string,
): ClientEndpoint {
  return itemsAt === undefined
    ? { method, path, status, body, keys, clients }
    : { method, path, status, body, keys, clients, itemsAt };
}

const V4 = '/api/v4';

export const CLIENT_ENDPOINTS: readonly ClientEndpoint[] = [
  // Site root (LTNG static assets) and system.
  ep('GET', '/', 200, 'html', [], LTNG),
  ep('GET', `${V4}/system/ping`, 200, 'object', ['status'], BOTH),
  ep(
    'GET',
    `${V4}/config/client`,
    200,
    'object',
    ['Version', 'SiteURL', 'FeatureFlagChannelBookmarks'],
    BOTH,
  ),
  ep('GET', `${V4}/config`, 200, 'object', ['ServiceSettings'], LTNG),
  ep('GET', `${V4}/license/client`, 200, 'object', ['IsLicensed'], WEBAPP),
  ep('GET', `${V4}/limits/server`, 200, 'object', ['activeUserCount', 'maxUsersLimit'], WEBAPP),
  ep('GET', `${V4}/plugins/webapp`, 200, 'array', [], BOTH),
  ep('POST', `${V4}/roles/names`, 200, 'array', ROLE_KEYS, BOTH),
  ep('POST', `${V4}/client_perf`, 200, 'object', STATUS_OK_KEYS, BOTH),
  ep('GET', `${V4}/reports/users`, 200, 'array', ['id', 'username', 'email'], LTNG),
  // Users.
  ep('POST', `${V4}/users/login`, 200, 'object', USER_KEYS, BOTH),
  ep('POST', `${V4}/users/logout`, 200, 'object', STATUS_OK_KEYS, BOTH),
  ep('POST', `${V4}/users`, 201, 'object', USER_KEYS, LTNG),
  ep('GET', `${V4}/users/me`, 200, 'object', USER_KEYS, BOTH),
  ep('GET', `${V4}/users/{user_id}`, 200, 'object', USER_KEYS, BOTH),
  ep('GET', `${V4}/users/username/{username}`, 200, 'object', USER_KEYS, WEBAPP),
  ep('GET', `${V4}/users`, 200, 'array', USER_KEYS, BOTH),
  ep('POST', `${V4}/users/ids`, 200, 'array', USER_KEYS, BOTH),
  ep('POST', `${V4}/users/usernames`, 200, 'array', USER_KEYS, BOTH),
  ep('POST', `${V4}/users/search`, 200, 'array', USER_KEYS, BOTH),
  ep('GET', `${V4}/users/autocomplete`, 200, 'object', USER_KEYS, BOTH, 'users'),
  ep('GET', `${V4}/users/{user_id}/image`, 200, 'png', [], BOTH),
  ep('GET', `${V4}/users/{user_id}/image/default`, 200, 'png', [], WEBAPP),
  ep('GET', `${V4}/users/{user_id}/status`, 200, 'object', STATUS_KEYS, BOTH),
  ep('POST', `${V4}/users/status/ids`, 200, 'array', STATUS_KEYS, BOTH),
  ep('PUT', `${V4}/users/{user_id}/status/custom`, 200, 'object', STATUS_OK_KEYS, LTNG),
  ep('DELETE', `${V4}/users/{user_id}/status/custom`, 200, 'object', STATUS_OK_KEYS, LTNG),
  ep('GET', `${V4}/users/{user_id}/preferences`, 200, 'array', PREFERENCE_KEYS, BOTH),
  ep('PUT', `${V4}/users/{user_id}/preferences`, 200, 'object', STATUS_OK_KEYS, BOTH),
  ep('POST', `${V4}/users/{user_id}/preferences/delete`, 200, 'object', STATUS_OK_KEYS, WEBAPP),
  ep('GET', `${V4}/users/{user_id}/preferences/{category}`, 200, 'array', PREFERENCE_KEYS, WEBAPP),
  ep('GET', `${V4}/users/{user_id}/custom_profile_attributes`, 200, 'map', [], LTNG),
  ep('POST', `${V4}/users/{user_id}/posts/{post_id}/reminder`, 200, 'object', STATUS_OK_KEYS, LTNG),
  ep(
    'POST',
    `${V4}/users/{user_id}/posts/{post_id}/ack`,
    200,
    'object',
    ['user_id', 'post_id', 'acknowledged_at'],
    LTNG,
  ),
  ep('GET', `${V4}/users/{user_id}/posts/flagged`, 200, 'object', POST_LIST_KEYS, WEBAPP),
  // The user's teams, channels and memberships.
  ep('GET', `${V4}/users/{user_id}/teams`, 200, 'array', TEAM_KEYS, BOTH),
  ep('GET', `${V4}/users/{user_id}/teams/members`, 200, 'array', TEAM_MEMBER_KEYS, BOTH),
  ep('GET', `${V4}/users/{user_id}/teams/unread`, 200, 'array', TEAM_UNREAD_KEYS, BOTH),
  ep('GET', `${V4}/users/{user_id}/teams/{team_id}/channels`, 200, 'array', CHANNEL_KEYS, BOTH),
  ep(
    'GET',
    `${V4}/users/{user_id}/teams/{team_id}/channels/members`,
    200,
    'array',
    CHANNEL_MEMBER_KEYS,
    BOTH,
  ),
  ep(
    'GET',
    `${V4}/users/{user_id}/teams/{team_id}/channels/categories`,
    200,
    'object',
    SIDEBAR_CATEGORY_KEYS,
    BOTH,
    'categories',
  ),
  ep(
    'POST',
    `${V4}/users/{user_id}/teams/{team_id}/channels/categories`,
    200,
    'object',
    SIDEBAR_CATEGORY_KEYS,
    LTNG,
  ),
  ep(
    'PUT',
    `${V4}/users/{user_id}/teams/{team_id}/channels/categories`,
    200,
    'array',
    SIDEBAR_CATEGORY_KEYS,
    LTNG,
  ),
  ep('GET', `${V4}/users/{user_id}/channels`, 200, 'array', CHANNEL_KEYS, BOTH),
  ep('GET', `${V4}/users/{user_id}/channel_members`, 200, 'array', CHANNEL_MEMBER_KEYS, BOTH),
  ep(
    'GET',
    `${V4}/users/{user_id}/channels/{channel_id}/unread`,
    200,
    'object',
    ['team_id', 'channel_id', 'msg_count', 'mention_count'],
    LTNG,
  ),
  ep('GET', `${V4}/users/{user_id}/channels/{channel_id}/posts/unread`, 200, 'object', POST_LIST_KEYS, BOTH),
  // Threads and drafts.
  ep('GET', `${V4}/users/{user_id}/teams/{team_id}/threads`, 200, 'object', THREADS_KEYS, BOTH),
  ep(
    'PUT',
    `${V4}/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}`,
    200,
    'object',
    ['id', 'reply_count', 'last_viewed_at'],
    LTNG,
  ),
  ep(
    'PUT',
    `${V4}/users/{user_id}/teams/{team_id}/threads/{thread_id}/following`,
    200,
    'object',
    STATUS_OK_KEYS,
    LTNG,
  ),
  ep(
    'DELETE',
    `${V4}/users/{user_id}/teams/{team_id}/threads/{thread_id}/following`,
    200,
    'object',
    STATUS_OK_KEYS,
    LTNG,
  ),
  ep('PUT', `${V4}/users/{user_id}/teams/{team_id}/threads/read`, 200, 'object', STATUS_OK_KEYS, LTNG),
  ep(
    'GET',
    `${V4}/users/{user_id}/teams/{team_id}/drafts`,
    200,
    'array',
    ['user_id', 'channel_id', 'root_id', 'message'],
    LTNG,
  ),
  ep('POST', `${V4}/drafts`, 201, 'object', ['user_id', 'channel_id', 'root_id', 'message'], LTNG),
  ep('DELETE', `${V4}/users/{user_id}/channels/{channel_id}/drafts`, 200, 'object', STATUS_OK_KEYS, LTNG),
  // Teams.
  ep('GET', `${V4}/teams`, 200, 'array', TEAM_KEYS, BOTH),
  ep('GET', `${V4}/teams/{team_id}`, 200, 'object', TEAM_KEYS, BOTH),
  ep('GET', `${V4}/teams/name/{team_name}`, 200, 'object', TEAM_KEYS, WEBAPP),
  ep('POST', `${V4}/teams/{team_id}/members`, 201, 'object', TEAM_MEMBER_KEYS, LTNG),
  ep('GET', `${V4}/teams/{team_id}/members/{user_id}`, 200, 'object', TEAM_MEMBER_KEYS, LTNG),
  ep(
    'GET',
    `${V4}/teams/{team_id}/stats`,
    200,
    'object',
    ['team_id', 'total_member_count', 'active_member_count'],
    LTNG,
  ),
  ep('GET', `${V4}/teams/{team_id}/channels`, 200, 'array', CHANNEL_KEYS, LTNG),
  ep('GET', `${V4}/teams/{team_id}/channels/search_autocomplete`, 200, 'array', CHANNEL_KEYS, LTNG),
  ep('GET', `${V4}/teams/{team_id}/channels/autocomplete`, 200, 'array', CHANNEL_KEYS, WEBAPP),
  ep('POST', `${V4}/teams/{team_id}/channels/search`, 200, 'array', CHANNEL_KEYS, WEBAPP),
  ep('GET', `${V4}/teams/name/{team_name}/channels/name/{channel_name}`, 200, 'object', CHANNEL_KEYS, WEBAPP),
  ep('POST', `${V4}/teams/{team_id}/posts/search`, 200, 'object', [...POST_LIST_KEYS, 'matches'], LTNG),
  // Channels.
  ep('POST', `${V4}/channels`, 201, 'object', CHANNEL_KEYS, LTNG),
  ep('GET', `${V4}/channels/{channel_id}`, 200, 'object', CHANNEL_KEYS, BOTH),
  ep('POST', `${V4}/channels/direct`, 201, 'object', CHANNEL_KEYS, BOTH),
  ep('POST', `${V4}/channels/group`, 201, 'object', CHANNEL_KEYS, BOTH),
  ep('POST', `${V4}/channels/search`, 200, 'array', CHANNEL_KEYS, LTNG),
  ep('POST', `${V4}/channels/group/search`, 200, 'array', CHANNEL_KEYS, LTNG),
  ep('GET', `${V4}/channels/{channel_id}/stats`, 200, 'object', CHANNEL_STATS_KEYS, BOTH),
  ep('GET', `${V4}/channels/{channel_id}/members`, 200, 'array', CHANNEL_MEMBER_KEYS, LTNG),
  ep('GET', `${V4}/channels/{channel_id}/members/{user_id}`, 200, 'object', CHANNEL_MEMBER_KEYS, LTNG),
  ep('POST', `${V4}/channels/{channel_id}/members`, 201, 'object', CHANNEL_MEMBER_KEYS, LTNG),
  ep(
    'POST',
    `${V4}/channels/members/{user_id}/view`,
    200,
    'object',
    ['status', 'last_viewed_at_times'],
    BOTH,
  ),
  ep('GET', `${V4}/channels/{channel_id}/posts`, 200, 'object', POST_LIST_KEYS, BOTH),
  ep('GET', `${V4}/channels/{channel_id}/pinned`, 200, 'object', POST_LIST_KEYS, WEBAPP),
  ep('GET', `${V4}/channels/{channel_id}/bookmarks`, 200, 'array', BOOKMARK_KEYS, BOTH),
  ep('POST', `${V4}/channels/{channel_id}/bookmarks`, 201, 'object', BOOKMARK_KEYS, LTNG),
  ep('PATCH', `${V4}/channels/{channel_id}/bookmarks/{bookmark_id}`, 200, 'object', ['updated'], LTNG),
  ep(
    'POST',
    `${V4}/channels/{channel_id}/bookmarks/{bookmark_id}/sort_order`,
    200,
    'array',
    BOOKMARK_KEYS,
    LTNG,
  ),
  ep('DELETE', `${V4}/channels/{channel_id}/bookmarks/{bookmark_id}`, 200, 'object', BOOKMARK_KEYS, LTNG),
  // Posts.
  ep('POST', `${V4}/posts`, 201, 'object', POST_KEYS, BOTH),
  ep('GET', `${V4}/posts/{post_id}`, 200, 'object', POST_KEYS, BOTH),
  ep('PUT', `${V4}/posts/{post_id}/patch`, 200, 'object', POST_KEYS, BOTH),
  ep('DELETE', `${V4}/posts/{post_id}`, 200, 'object', STATUS_OK_KEYS, BOTH),
  ep('GET', `${V4}/posts/{post_id}/thread`, 200, 'object', POST_LIST_KEYS, BOTH),
  ep('POST', `${V4}/posts/ids`, 200, 'array', POST_KEYS, WEBAPP),
  ep('POST', `${V4}/posts/search`, 200, 'object', [...POST_LIST_KEYS, 'matches'], LTNG),
  ep('POST', `${V4}/posts/{post_id}/pin`, 200, 'object', STATUS_OK_KEYS, WEBAPP),
  ep('POST', `${V4}/posts/{post_id}/unpin`, 200, 'object', STATUS_OK_KEYS, WEBAPP),
  ep('POST', `${V4}/reactions`, 200, 'object', REACTION_KEYS, BOTH),
  ep('POST', `${V4}/posts/schedule`, 201, 'object', SCHEDULED_POST_KEYS, LTNG),
  ep('PUT', `${V4}/posts/schedule/{scheduled_post_id}`, 201, 'object', SCHEDULED_POST_KEYS, LTNG),
  ep('DELETE', `${V4}/posts/schedule/{scheduled_post_id}`, 201, 'object', SCHEDULED_POST_KEYS, LTNG),
  ep('GET', `${V4}/posts/scheduled/team/{team_id}`, 200, 'map', [], LTNG),
  // Files.
  ep('POST', `${V4}/files`, 201, 'object', ['file_infos', 'client_ids'], BOTH),
  ep('GET', `${V4}/files/{file_id}/info`, 200, 'object', FILE_INFO_KEYS, BOTH),
  ep('GET', `${V4}/files/{file_id}/thumbnail`, 200, 'jpeg', [], BOTH),
  ep('GET', `${V4}/files/{file_id}/preview`, 200, 'jpeg', [], BOTH),
  // Custom profile attributes.
  ep('GET', `${V4}/custom_profile_attributes/fields`, 200, 'array', ['id', 'group_id', 'name', 'type'], LTNG),
  ep('PATCH', `${V4}/custom_profile_attributes/values`, 200, 'map', [], LTNG),
];

/** `METHOD path` — the key a conformance walker uses to find each entry's request builder. */
export function endpointKey(e: Pick<ClientEndpoint, 'method' | 'path'>): string {
  return `${e.method} ${e.path}`;
}

// The key sets travel with the list, so a reader of this file needs no second import.
export * from './wire-keys.js';
