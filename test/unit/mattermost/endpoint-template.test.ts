import { describe, expect, it } from 'vitest';
import { endpointTemplate } from '../../../src/mattermost/endpoint-template.js';

// HTTP metrics are tagged with the endpoint template, never the concrete URL (one series per
// endpoint, not one per channel or post).

const ID = 'k3m9x1p2q4r5s6t7u8v9w0y1z2';
const BASE = 'http://127.0.0.1:8065';

describe('endpoint template', () => {
  it.each([
    [`${BASE}/api/v4/channels/${ID}/posts?page=0&per_page=60`, '/api/v4/channels/{id}/posts'],
    [`${BASE}/api/v4/channels/${ID}/posts?since=1700000000000`, '/api/v4/channels/{id}/posts'],
    [`${BASE}/api/v4/users/me/teams/${ID}/channels`, '/api/v4/users/me/teams/{id}/channels'],
    [`${BASE}/api/v4/users/login`, '/api/v4/users/login'],
    [`${BASE}/api/v4/system/ping?get_server_status=false`, '/api/v4/system/ping'],
    [`${BASE}/api/v4/teams/name/small-team-1`, '/api/v4/teams/name/{name}'],
    [`${BASE}/api/v4/teams/${ID}/channels/name/small-c01`, '/api/v4/teams/{id}/channels/name/{name}'],
    [
      `${BASE}/api/v4/users/${ID}/teams/${ID}/threads/${ID}/read/1700000000000`,
      '/api/v4/users/{id}/teams/{id}/threads/{id}/read/{n}',
    ],
    [
      `${BASE}/api/v4/users/${ID}/posts/${ID}/reactions/thumbsup`,
      '/api/v4/users/{id}/posts/{id}/reactions/{name}',
    ],
    [`${BASE}/api/v4/users/me/channels/${ID}/drafts`, '/api/v4/users/me/channels/{id}/drafts'],
    [`${BASE}/api/v4/posts/${ID}/thread?skipFetchThreads=false`, '/api/v4/posts/{id}/thread'],
    [`${BASE}/api/v4/users/username/Some.User`, '/api/v4/users/username/{name}'],
    [`${BASE}/api/v4/channels/${ID}__${ID}`, '/api/v4/channels/{param}'],
    [`https://chat.example.org/mattermost/api/v4/users/status/ids`, '/api/v4/users/status/ids'],
    ['/api/v4/files', '/api/v4/files'],
  ])('%s → %s', (url, template) => {
    expect(endpointTemplate(url)).toBe(template);
  });
});
