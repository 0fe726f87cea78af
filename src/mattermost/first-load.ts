import type { Channel, ChannelMembership } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import { featuresOf } from './client-store.js';
import type { SimulatedUser, UserAccount } from './simulated-user.js';

// Login and first load, in the web app's order (facts from mattermost/mattermost, as summarised in
// the project's client-traffic reference, section 1.3):
//   login form (webapp/channels/src/actions/views/login.ts): POST /users/login, POST /roles/names;
//   page load (actions/views/root.ts loadConfigAndMe): config + license in parallel, then me,
//   preferences, teams, team members in parallel, roles of `me`; team unreads and server limits
//   not awaited;
//   team page (components/team_controller): all channel memberships (pages of 200, at most 3) and
//   all channels (mattermost-redux actions/channels.ts fetchAllMyTeamsChannelsAndChannelMembersREST),
//   statuses of self;
//   sidebar categories and scheduled posts of the team, and custom profile attribute fields,
//   which load-test-ng's login and loadTeam also fetch (mattermost/mattermost-load-test-ng:
//   loadtest/control/simulcontroller/actions.go loadTeam; loadtest/control/actions.go Login).
// Requests a server may not offer (license, limits, custom attributes) do not stop the login.

const MEMBER_PAGE = 200;
const MAX_MEMBER_PAGES = 3;

export async function firstLoad(user: SimulatedUser, account: UserAccount): Promise<void> {
  const client = user.client;
  const profile = await client.login(account.username, account.password);
  user.loggedIn(client.getToken(), { id: profile.id, username: profile.username });
  const optional = (p: Promise<unknown>) => p.catch(() => undefined);
  await optional(user.call('POST', '/roles/names', profile.roles.split(' ').filter(Boolean)));

  const [config] = await Promise.all([
    user.call<Record<string, unknown>>('GET', '/config/client?format=old'),
    optional(user.call('GET', '/license/client?format=old')),
  ]);
  user.store.features = featuresOf(config.data);
  const crt = user.store.features.crt;

  const [me, , teams] = await Promise.all([
    user.call<UserProfile>('GET', '/users/me'),
    user.call('GET', '/users/me/preferences'),
    user.call<Team[]>('GET', '/users/me/teams'),
    user.call('GET', '/users/me/teams/members'),
  ]);
  await optional(user.call('POST', '/roles/names', me.data.roles.split(' ').filter(Boolean)));
  void optional(user.call('GET', `/users/me/teams/unread?include_collapsed_threads=${crt}`));
  void optional(user.call('GET', '/limits/server'));

  user.teams = teams.data.map((t) => ({ id: t.id, name: t.name }));
  const team = user.rng.pick(user.teams);
  if (!team) throw new Error(`${account.username} is in no team; seed the server first`);
  user.team = team;

  for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
    const members = await user.call<ChannelMembership[]>(
      'GET',
      `/users/me/channel_members?page=${page}&per_page=${MEMBER_PAGE}`,
    );
    if (members.data.length < MEMBER_PAGE) break;
  }
  const channels = await user.call<Channel[]>('GET', '/users/me/channels');
  for (const c of channels.data) {
    user.addChannel({ id: c.id, type: c.type, teamId: c.team_id, name: c.name });
  }
  await user.call('POST', '/users/status/ids', [profile.id]);
  user.store.knowProfile(profile.id);
  user.store.knowStatus(profile.id);
  await optional(user.call('GET', `/users/me/teams/${team.id}/channels/categories`));
  if (user.store.features.scheduledPosts)
    await optional(user.call('GET', `/posts/scheduled/team/${team.id}?includeDirectChannels=true`));
  if (user.store.features.customProfileAttributes) {
    const fields = await optional(user.call<{ id: string }[]>('GET', '/custom_profile_attributes/fields'));
    const list = (fields as { data?: { id: string }[] } | undefined)?.data;
    if (Array.isArray(list)) user.store.cpaFields = list.map((f) => f.id).slice(0, 20);
  }
}
