import { createHash } from 'node:crypto';
import type { ServerChannel } from '@mattermost/types/channels';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { type Client4, ClientError, newClient, type SignedUp, signUp } from '../support/mattermost.js';
import { WebSocketProbe } from '../support/websocket.js';

// Teams, channels, memberships, view/unread and statuses of the test double, judged by
// Mattermost's own Client4.

let cluster: DoubleCluster;
let admin: SignedUp;
let alice: SignedUp;
let bob: SignedUp;
let carol: SignedUp;
let dave: SignedUp;
let team: Team;

// Client4 keeps its raw fetch helpers out of its type; tests need them for status codes and for
// routes Client4 has no method for.
interface RawFetch {
  doFetchWithResponse<T>(
    url: string,
    options: { method: string; body?: string },
  ): Promise<{ response: Response; data: T }>;
}
function raw(client: Client4): RawFetch {
  return client as unknown as RawFetch;
}

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

function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

async function newTeam(owner: SignedUp, extra: Partial<Team> = {}): Promise<Team> {
  const name = unique('team');
  return owner.client.createTeam({ name, display_name: `Team ${name}`, type: 'O', ...extra } as Team);
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: false });
  admin = await signUp(cluster.url, 'sysadmin');
  alice = await signUp(cluster.url, 'alice');
  bob = await signUp(cluster.url, 'bob');
  carol = await signUp(cluster.url, 'carol');
  dave = await signUp(cluster.url, 'dave');
  team = await newTeam(alice, { allow_open_invite: true });
  await alice.client.addToTeam(team.id, bob.user.id);
});

afterAll(async () => {
  await cluster?.stop();
});

describe('teams', () => {
  it('makes the first account a system admin and no other', () => {
    expect(admin.user.roles.split(' ')).toContain('system_admin');
    expect(alice.user.roles.split(' ')).not.toContain('system_admin');
  });

  it('creates a team with 201, its default channels, and the creator as its admin', async () => {
    const name = unique('created');
    const { response, data } = await raw(alice.client).doFetchWithResponse<Team>(
      alice.client.getTeamsRoute(),
      { method: 'post', body: JSON.stringify({ name, display_name: 'Created', type: 'I' }) },
    );
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ name, display_name: 'Created', type: 'I', delete_at: 0 });
    expect(data.id).toMatch(/^[a-z0-9]{26}$/);
    expect(data.email).toBe(alice.user.email);
    const member = await alice.client.getTeamMember(data.id, alice.user.id);
    expect(member).toMatchObject({ scheme_admin: true, scheme_user: true, delete_at: 0 });
    expect(member.roles.split(' ')).toEqual(expect.arrayContaining(['team_user', 'team_admin']));
    const mine = await alice.client.getMyChannels(data.id);
    const byName = Object.fromEntries(mine.map((c) => [c.name, c]));
    expect(byName['town-square']).toMatchObject({ display_name: 'Town Square', type: 'O', team_id: data.id });
    expect(byName['off-topic']).toMatchObject({ display_name: 'Off-Topic', type: 'O', team_id: data.id });
    const townSquare = await alice.client.getChannelByName(data.id, 'town-square');
    expect(townSquare.id).toBe(byName['town-square']!.id);
  });

  it('refuses duplicate, malformed and reserved team names', async () => {
    await expectError(newTeam(bob, { name: team.name }), 400, 'app.team.save.existing.app_error');
    await expectError(
      bob.client.createTeam({ name: 'Upper-Case', display_name: 'x', type: 'O' } as Team),
      400,
      'model.team.is_valid.characters.app_error',
    );
    await expectError(
      bob.client.createTeam({ name: 'a', display_name: 'x', type: 'O' } as Team),
      400,
      'model.team.is_valid.characters.app_error',
    );
    await expectError(
      bob.client.createTeam({ name: 'api-things', display_name: 'x', type: 'O' } as Team),
      400,
      'model.team.is_valid.reserved.app_error',
    );
    await expectError(
      bob.client.createTeam({ name: unique('t'), display_name: '', type: 'O' } as Team),
      400,
      'model.team.is_valid.name.app_error',
    );
    await expectError(
      bob.client.createTeam({ name: unique('t'), display_name: 'x', type: 'X' } as unknown as Team),
      400,
      'model.team.is_valid.type.app_error',
    );
  });

  it('reads a team by id and by name, hiding email and invite id from non-admins', async () => {
    const asOwner = await alice.client.getTeam(team.id);
    expect(asOwner.invite_id).not.toBe('');
    const asMember = await bob.client.getTeamByName(team.name);
    expect(asMember).toMatchObject({ id: team.id, name: team.name, email: '', invite_id: '' });
    // Open teams are visible to non-members; invite-only ones are not.
    await expect(carol.client.getTeam(team.id)).resolves.toMatchObject({ id: team.id });
    const closed = await newTeam(alice, { type: 'I' });
    await expectError(carol.client.getTeam(closed.id), 403, 'api.context.permissions.app_error');
    await expect(admin.client.getTeam(closed.id)).resolves.toMatchObject({ id: closed.id });
  });

  it('answers malformed and unknown team ids and names like Mattermost', async () => {
    await expectError(alice.client.getTeam('not-an-id'), 400, 'api.context.invalid_url_param.app_error');
    await expectError(alice.client.getTeam('a'.repeat(26)), 404, 'app.team.get.find.app_error');
    await expectError(
      alice.client.getTeamByName('no-such-team'),
      404,
      'app.team.get_by_name.missing.app_error',
    );
  });

  it('lists teams: open ones for users, all for admins, with paging and a total', async () => {
    const closed = await newTeam(alice, { type: 'I' });
    const forCarol = (await carol.client.getTeams(0, 200)) as Team[];
    expect(forCarol.map((t) => t.id)).toContain(team.id);
    expect(forCarol.map((t) => t.id)).not.toContain(closed.id);
    const forAdmin = (await admin.client.getTeams(0, 200, true)) as { teams: Team[]; total_count: number };
    expect(forAdmin.teams.map((t) => t.id)).toEqual(expect.arrayContaining([team.id, closed.id]));
    expect(forAdmin.total_count).toBe(forAdmin.teams.length);
    const firstPage = (await admin.client.getTeams(0, 1)) as Team[];
    const secondPage = (await admin.client.getTeams(1, 1)) as Team[];
    expect(firstPage).toHaveLength(1);
    expect(secondPage).toHaveLength(1);
    expect(firstPage[0]!.id).not.toBe(secondPage[0]!.id);
  });

  it("lists a user's teams and team memberships, only for themselves or an admin", async () => {
    expect((await bob.client.getMyTeams()).map((t) => t.id)).toContain(team.id);
    expect((await bob.client.getTeamMembersForUser(bob.user.id)).map((m) => m.team_id)).toContain(team.id);
    await expectError(carol.client.getTeamsForUser(bob.user.id), 403, 'api.context.permissions.app_error');
    await expectError(
      carol.client.getTeamMembersForUser(bob.user.id),
      403,
      'api.context.permissions.app_error',
    );
    expect((await admin.client.getTeamsForUser(bob.user.id)).map((t) => t.id)).toContain(team.id);
  });

  it('adds members with 201, joining them to the default channels', async () => {
    const t = await newTeam(alice);
    const { response, data } = await raw(alice.client).doFetchWithResponse<{
      roles: string;
      user_id: string;
    }>(`${alice.client.getTeamRoute(t.id)}/members`, {
      method: 'post',
      body: JSON.stringify({ team_id: t.id, user_id: carol.user.id }),
    });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ user_id: carol.user.id, roles: 'team_user', scheme_admin: false });
    const names = (await carol.client.getMyChannels(t.id)).map((c) => c.name).sort();
    expect(names).toEqual(['off-topic', 'town-square']);
    // Adding again answers the same membership.
    await expect(alice.client.addToTeam(t.id, carol.user.id)).resolves.toMatchObject({
      user_id: carol.user.id,
    });
  });

  it('lets only members add others, and only open teams be joined by oneself', async () => {
    const invite = await newTeam(alice, { type: 'I' });
    await expectError(
      dave.client.addToTeam(invite.id, carol.user.id),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(
      dave.client.addToTeam(invite.id, dave.user.id),
      403,
      'api.context.permissions.app_error',
    );
    await expect(dave.client.addToTeam(team.id, dave.user.id)).resolves.toMatchObject({ team_id: team.id });
    await expectError(alice.client.addToTeam(team.id, 'b'.repeat(26)), 404, 'app.user.missing_account.const');
  });

  it('lists and reads team members, 404 for a non-member', async () => {
    const members = await alice.client.getTeamMembers(team.id, 0, 60);
    expect(members.map((m) => m.user_id)).toEqual(expect.arrayContaining([alice.user.id, bob.user.id]));
    expect(await bob.client.getTeamMember(team.id, alice.user.id)).toMatchObject({ scheme_admin: true });
    const outsider = await newTeam(alice, { type: 'I' });
    await expectError(carol.client.getTeamMembers(outsider.id), 403, 'api.context.permissions.app_error');
    await expectError(
      alice.client.getTeamMember(outsider.id, carol.user.id),
      404,
      'app.team.get_member.missing.app_error',
    );
  });

  it('caps per_page at 200 (205 members added through the API)', async () => {
    const big = await newTeam(admin);
    const ids: string[] = [];
    const batch = async (from: number, to: number) => {
      await Promise.all(
        Array.from({ length: to - from }, async (_, i) => {
          const name = `bulk${from + i}x${Date.now().toString(36)}`;
          const user = await admin.client.createUser(
            { username: name, email: `${name}@double.test`, password: 'Passw0rd-double' } as UserProfile,
            '',
            '',
          );
          await admin.client.addToTeam(big.id, user.id);
          ids.push(user.id);
        }),
      );
    };
    for (let from = 0; from < 205; from += 25) await batch(from, Math.min(205, from + 25));
    const total = 206; // the 205 plus the creator
    const capped = await admin.client.getTeamMembers(big.id, 0, 500);
    expect(capped).toHaveLength(200);
    const rest = await admin.client.getTeamMembers(big.id, 1, 500);
    expect(rest).toHaveLength(total - 200);
    const all = new Set([...capped, ...rest].map((m) => m.user_id));
    expect(all.size).toBe(total);
    expect(await admin.client.getTeamMembers(big.id)).toHaveLength(60);
  }, 60_000);
});

describe('channels', () => {
  it('creates open and private channels with 201; the creator is their admin', async () => {
    const name = unique('chan');
    const { response, data } = await raw(alice.client).doFetchWithResponse<ServerChannel>(
      alice.client.getChannelsRoute(),
      { method: 'post', body: JSON.stringify({ team_id: team.id, name, display_name: 'Chan', type: 'O' }) },
    );
    expect(response.status).toBe(201);
    expect(data).toMatchObject({
      team_id: team.id,
      name,
      display_name: 'Chan',
      type: 'O',
      creator_id: alice.user.id,
    });
    const member = await alice.client.getMyChannelMember(data.id);
    expect(member).toMatchObject({ channel_id: data.id, user_id: alice.user.id, scheme_admin: true });
    expect(member.roles).toBe('channel_user channel_admin');
    const priv = await alice.client.createChannel({
      team_id: team.id,
      name: unique('priv'),
      display_name: 'P',
      type: 'P',
    });
    expect(priv.type).toBe('P');
  });

  it('refuses duplicates, bad names, a missing display name and non-members of the team', async () => {
    const name = unique('dup');
    await alice.client.createChannel({ team_id: team.id, name, display_name: 'Dup', type: 'O' });
    await expectError(
      bob.client.createChannel({ team_id: team.id, name, display_name: 'Dup', type: 'O' }),
      400,
      'store.sql_channel.save_channel.exists.app_error',
    );
    await expectError(
      alice.client.createChannel({ team_id: team.id, name: 'Bad Name', display_name: 'x', type: 'O' }),
      400,
      'model.channel.is_valid.1_or_more.app_error',
    );
    await expectError(
      alice.client.createChannel({ team_id: team.id, name: unique('c'), display_name: '', type: 'O' }),
      400,
      'api.context.invalid_body_param.app_error',
    );
    await expectError(
      alice.client.createChannel({
        team_id: team.id,
        name: unique('c'),
        display_name: 'x',
        type: 'Q' as 'O',
      }),
      400,
      'model.channel.is_valid.type.app_error',
    );
    const closed = await newTeam(alice, { type: 'I' });
    await expectError(
      carol.client.createChannel({ team_id: closed.id, name: unique('c'), display_name: 'x', type: 'O' }),
      403,
      'api.context.permissions.app_error',
    );
  });

  it('reads channels by id and by name; private ones only for members', async () => {
    const open = await alice.client.createChannel({
      team_id: team.id,
      name: unique('o'),
      display_name: 'O',
      type: 'O',
    });
    const priv = await alice.client.createChannel({
      team_id: team.id,
      name: unique('p'),
      display_name: 'P',
      type: 'P',
    });
    await expect(bob.client.getChannel(open.id)).resolves.toMatchObject({ id: open.id });
    await expect(bob.client.getChannelByName(team.id, open.name)).resolves.toMatchObject({ id: open.id });
    await expectError(bob.client.getChannel(priv.id), 403, 'api.context.permissions.app_error');
    await expectError(
      bob.client.getChannelByName(team.id, priv.name),
      404,
      'app.channel.get_by_name.missing.app_error',
    );
    // Not in the team at all: even the open channel is closed to carol.
    await expectError(carol.client.getChannel(open.id), 403, 'api.context.permissions.app_error');
    await expect(admin.client.getChannel(priv.id)).resolves.toMatchObject({ id: priv.id });
    await expectError(bob.client.getChannel('xyz'), 400, 'api.context.invalid_url_param.app_error');
    await expectError(bob.client.getChannel('c'.repeat(26)), 404, 'app.channel.get.existing.app_error');
    await expectError(
      bob.client.getChannelByName(team.id, 'no-such-channel'),
      404,
      'app.channel.get_by_name.missing.app_error',
    );
  });

  it('lists and searches the public channels of a team', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const open = await alice.client.createChannel({
      team_id: team.id,
      name: `find-${tag}`,
      display_name: `Find ${tag}`,
      type: 'O',
    });
    const priv = await alice.client.createChannel({
      team_id: team.id,
      name: `hide-${tag}`,
      display_name: `Find ${tag} too`,
      type: 'P',
    });
    const listed = await bob.client.getChannels(team.id, 0, 200);
    expect(listed.map((c) => c.id)).toContain(open.id);
    expect(listed.map((c) => c.id)).not.toContain(priv.id);
    expect(listed.every((c) => c.type === 'O')).toBe(true);
    expect(await bob.client.getChannels(team.id, 0, 2)).toHaveLength(2);
    const found = await bob.client.searchChannels(team.id, tag);
    expect(found.map((c) => c.id)).toEqual([open.id]);
    await expectError(carol.client.getChannels(team.id), 403, 'api.context.permissions.app_error');
  });

  it('adds and removes members with events for the channel', async () => {
    const channel = await alice.client.createChannel({
      team_id: team.id,
      name: unique('m'),
      display_name: 'M',
      type: 'O',
    });
    const probe = await new WebSocketProbe(cluster.url, bob.client.getToken()).connect();
    try {
      const { response, data } = await raw(alice.client).doFetchWithResponse<{
        user_id: string;
        roles: string;
      }>(`${alice.client.getChannelRoute(channel.id)}/members`, {
        method: 'post',
        body: JSON.stringify({ user_id: bob.user.id, channel_id: channel.id }),
      });
      expect(response.status).toBe(201);
      expect(data).toMatchObject({ user_id: bob.user.id, roles: 'channel_user', scheme_admin: false });
      await probe.waitFor(() => probe.eventsOf('user_added').length > 0, 5_000, 'user_added');
      const added = probe.eventsOf('user_added')[0]!;
      expect(added.data).toMatchObject({ user_id: bob.user.id, team_id: team.id });
      expect(added.broadcast.channel_id).toBe(channel.id);
      const members = await alice.client.getChannelMembers(channel.id);
      expect(members.map((m) => m.user_id).sort()).toEqual([alice.user.id, bob.user.id].sort());
      await expect(alice.client.removeFromChannel(bob.user.id, channel.id)).resolves.toEqual({
        status: 'OK',
      });
      await probe.waitFor(() => probe.eventsOf('user_removed').length > 0, 5_000, 'user_removed');
      expect(probe.eventsOf('user_removed')[0]!.data).toMatchObject({
        user_id: bob.user.id,
        remover_id: alice.user.id,
      });
      await expectError(
        alice.client.getChannelMember(channel.id, bob.user.id),
        404,
        'app.channel.get_member.missing.app_error',
      );
    } finally {
      probe.close();
    }
  });

  it('guards channel membership like Mattermost', async () => {
    const open = await alice.client.createChannel({
      team_id: team.id,
      name: unique('g'),
      display_name: 'G',
      type: 'O',
    });
    const priv = await alice.client.createChannel({
      team_id: team.id,
      name: unique('gp'),
      display_name: 'GP',
      type: 'P',
    });
    // Joining an open channel of your team yourself is allowed; adding others needs membership.
    await expect(bob.client.addToChannel(bob.user.id, open.id)).resolves.toMatchObject({
      user_id: bob.user.id,
    });
    await expectError(
      dave.client.addToChannel(alice.user.id, priv.id),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(
      bob.client.addToChannel(bob.user.id, priv.id),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(bob.client.getChannelMembers(priv.id), 403, 'api.context.permissions.app_error');
    // Someone outside the team cannot be added.
    await expectError(
      alice.client.addToChannel(carol.user.id, open.id),
      404,
      'app.team.get_member.missing.app_error',
    );
    // Nobody leaves the default channel.
    const townSquare = await alice.client.getChannelByName(team.id, 'town-square');
    await expectError(
      bob.client.removeFromChannel(bob.user.id, townSquare.id),
      400,
      'api.channel.remove.default.app_error',
    );
    await expectError(
      dave.client.removeFromChannel(alice.user.id, open.id),
      403,
      'api.context.permissions.app_error',
    );
  });

  it("lists a user's channels and memberships in a team, with DMs, only for themselves", async () => {
    const dm = await bob.client.createDirectChannel([bob.user.id, alice.user.id]);
    const channels = await bob.client.getMyChannels(team.id);
    expect(channels.map((c) => c.id)).toEqual(expect.arrayContaining([dm.id]));
    expect(channels.map((c) => c.name)).toEqual(expect.arrayContaining(['town-square', 'off-topic']));
    const members = await bob.client.getMyChannelMembers(team.id);
    expect(new Set(members.map((m) => m.channel_id))).toEqual(new Set(channels.map((c) => c.id)));
    await expectError(
      alice.client.getChannelMember('x', bob.user.id),
      400,
      'api.context.invalid_url_param.app_error',
    );
    await expectError(
      raw(alice.client).doFetchWithResponse(
        `${alice.client.getUserRoute(bob.user.id)}/teams/${team.id}/channels`,
        {
          method: 'get',
        },
      ),
      403,
      'api.context.permissions.app_error',
    );
  });

  it('reports channel stats', async () => {
    const channel = await alice.client.createChannel({
      team_id: team.id,
      name: unique('s'),
      display_name: 'S',
      type: 'O',
    });
    await alice.client.addToChannel(bob.user.id, channel.id);
    expect(await alice.client.getChannelStats(channel.id)).toEqual({
      channel_id: channel.id,
      member_count: 2,
      guest_count: 0,
      pinnedpost_count: 0,
      files_count: -1,
    });
    expect((await alice.client.getChannelStats(channel.id, true)).files_count).toBe(0);
  });
});

describe('direct and group messages', () => {
  it('creates a DM once: named by the sorted ids, announced with direct_added', async () => {
    const probe = await new WebSocketProbe(cluster.url, dave.client.getToken()).connect();
    try {
      const { response, data } = await raw(carol.client).doFetchWithResponse<ServerChannel>(
        `${carol.client.getChannelsRoute()}/direct`,
        { method: 'post', body: JSON.stringify([carol.user.id, dave.user.id]) },
      );
      expect(response.status).toBe(201);
      expect(data).toMatchObject({
        type: 'D',
        team_id: '',
        name: [carol.user.id, dave.user.id].sort().join('__'),
      });
      await probe.waitFor(() => probe.eventsOf('direct_added').length > 0, 5_000, 'direct_added');
      expect(probe.eventsOf('direct_added')[0]!.data).toMatchObject({
        creator_id: carol.user.id,
        teammate_id: dave.user.id,
      });
      const again = await dave.client.createDirectChannel([dave.user.id, carol.user.id]);
      expect(again.id).toBe(data.id);
      expect((await dave.client.getMyChannelMember(data.id)).user_id).toBe(dave.user.id);
      // A third party can read neither the DM nor its members.
      await expectError(bob.client.getChannel(data.id), 403, 'api.context.permissions.app_error');
      await expectError(bob.client.getChannelMembers(data.id), 403, 'api.context.permissions.app_error');
      await new Promise((r) => setTimeout(r, 200));
      expect(probe.eventsOf('direct_added')).toHaveLength(1);
    } finally {
      probe.close();
    }
  });

  it('creates a DM with oneself and refuses bad DM requests', async () => {
    const self = await carol.client.createDirectChannel([carol.user.id]);
    expect(self.name).toBe(`${carol.user.id}__${carol.user.id}`);
    await expectError(
      carol.client.createDirectChannel([bob.user.id, dave.user.id]),
      403,
      'api.context.permissions.app_error',
    );
    await expectError(
      carol.client.createDirectChannel([carol.user.id, 'nope']),
      400,
      'api.context.invalid_body_param.app_error',
    );
    await expectError(
      carol.client.createDirectChannel([carol.user.id, 'd'.repeat(26)]),
      400,
      'api.channel.create_direct_channel.invalid_user.app_error',
    );
  });

  it('creates a GM of 3 to 8 users named by the sha1 of the sorted ids', async () => {
    const ids = [alice.user.id, bob.user.id, carol.user.id];
    const gm = await alice.client.createGroupChannel([bob.user.id, carol.user.id]);
    const expected = createHash('sha1')
      .update([...ids].sort().join(''))
      .digest('hex');
    expect(gm).toMatchObject({ type: 'G', team_id: '', name: expected });
    expect(gm.display_name).toBe(['alice', 'bob', 'carol'].sort().join(', '));
    const again = await carol.client.createGroupChannel(ids);
    expect(again.id).toBe(gm.id);
    expect((await alice.client.getChannelMembers(gm.id)).map((m) => m.user_id).sort()).toEqual(
      [...ids].sort(),
    );
    await expectError(
      alice.client.createGroupChannel([bob.user.id]),
      400,
      'api.channel.create_group.bad_size.app_error',
    );
    await expectError(dave.client.getChannel(gm.id), 403, 'api.context.permissions.app_error');
  });
});

describe('view and unread', () => {
  it('views a channel: status OK with last_viewed_at_times; an empty channel_id is a no-op', async () => {
    const townSquare = await bob.client.getChannelByName(team.id, 'town-square');
    const viewed = await bob.client.viewMyChannel(townSquare.id);
    expect(viewed.status).toBe('OK');
    expect(Object.keys(viewed.last_viewed_at_times)).toEqual([townSquare.id]);
    expect(typeof viewed.last_viewed_at_times[townSquare.id]).toBe('number');
    const none = await bob.client.viewMyChannel('');
    expect(none).toEqual({ status: 'OK', last_viewed_at_times: {} });
    await expectError(bob.client.viewMyChannel('bad'), 400, 'api.context.invalid_body_param.app_error');
    await expectError(
      raw(bob.client).doFetchWithResponse(`${bob.client.getChannelsRoute()}/members/${alice.user.id}/view`, {
        method: 'post',
        body: JSON.stringify({ channel_id: townSquare.id }),
      }),
      403,
      'api.context.permissions.app_error',
    );
  });

  it('reports unread counts for a member; read state moves with a view', async () => {
    const channel = await alice.client.createChannel({
      team_id: team.id,
      name: unique('u'),
      display_name: 'U',
      type: 'O',
    });
    await alice.client.addToChannel(bob.user.id, channel.id);
    const url = `${bob.client.getUserRoute('me')}/channels/${channel.id}/unread`;
    const unread = async () =>
      (await raw(bob.client).doFetchWithResponse<Record<string, unknown>>(url, { method: 'get' })).data;
    expect(await unread()).toEqual({
      team_id: team.id,
      channel_id: channel.id,
      msg_count: 0,
      mention_count: 0,
      mention_count_root: 0,
      urgent_mention_count: 0,
      msg_count_root: 0,
      notify_props: expect.objectContaining({ mark_unread: 'all' }),
    });
    await bob.client.viewMyChannel(channel.id);
    expect(await unread()).toMatchObject({ msg_count: 0, mention_count: 0 });
    // Not a member of the channel: nothing to report.
    await expectError(
      raw(dave.client).doFetchWithResponse(
        `${dave.client.getUserRoute('me')}/channels/${channel.id}/unread`,
        {
          method: 'get',
        },
      ),
      404,
      'app.channel.get_member.missing.app_error',
    );
  });
});

describe('unread after posts', () => {
  it('counts posts and mentions for a reader, none for the author, and clears them on view', async () => {
    const channel = await alice.client.createChannel({
      team_id: team.id,
      name: unique('posts'),
      display_name: 'Posts',
      type: 'O',
    });
    await alice.client.addToChannel(bob.user.id, channel.id);
    await alice.client.createPost({ channel_id: channel.id, message: 'first' });
    await alice.client.createPost({ channel_id: channel.id, message: 'second' });
    const last = await alice.client.createPost({ channel_id: channel.id, message: 'hey @bob, third' });
    const unreadOf = async (who: SignedUp) =>
      (
        await raw(who.client).doFetchWithResponse<Record<string, number>>(
          `${who.client.getUserRoute('me')}/channels/${channel.id}/unread`,
          { method: 'get' },
        )
      ).data;
    expect(await unreadOf(bob)).toMatchObject({ msg_count: 3, msg_count_root: 3, mention_count: 1 });
    expect(await unreadOf(alice)).toMatchObject({ msg_count: 0, mention_count: 0 });
    const ws = await new WebSocketProbe(cluster.url, bob.client.getToken()).connect();
    try {
      const viewed = await bob.client.viewMyChannel(channel.id);
      expect(viewed.last_viewed_at_times[channel.id]).toBe(last.create_at);
      await ws.waitFor(() => ws.eventsOf('channel_viewed').length > 0, 5_000, 'channel_viewed');
      expect(ws.eventsOf('channel_viewed')[0]!.data).toEqual({ channel_id: channel.id });
    } finally {
      ws.close();
    }
    expect(await unreadOf(bob)).toMatchObject({ msg_count: 0, msg_count_root: 0, mention_count: 0 });
    expect(await bob.client.getMyChannelMember(channel.id)).toMatchObject({
      last_viewed_at: last.create_at,
      msg_count: 3,
      mention_count: 0,
    });
  });
});

describe('statuses', () => {
  it('is offline until set; a set status is manual and announced', async () => {
    const fresh = await signUp(cluster.url);
    expect(await fresh.client.getStatus(fresh.user.id)).toMatchObject({
      user_id: fresh.user.id,
      status: 'offline',
      manual: false,
      last_activity_at: 0,
    });
    const probe = await new WebSocketProbe(cluster.url, fresh.client.getToken()).connect();
    try {
      const updated = await fresh.client.updateStatus({ user_id: fresh.user.id, status: 'dnd' } as never);
      expect(updated).toMatchObject({ user_id: fresh.user.id, status: 'dnd', manual: true });
      await probe.waitFor(
        () => probe.eventsOf('status_change').some((e) => (e.data as { status: string }).status === 'dnd'),
        5_000,
        'status_change',
      );
      expect(await alice.client.getStatus(fresh.user.id)).toMatchObject({ status: 'dnd', manual: true });
    } finally {
      probe.close();
    }
  });

  it('reads statuses by ids and refuses bad ones', async () => {
    await alice.client.updateStatus({ user_id: alice.user.id, status: 'away' } as never);
    const statuses = await bob.client.getStatusesByIds([alice.user.id, bob.user.id]);
    const byId = Object.fromEntries(statuses.map((s) => [s.user_id, s.status]));
    expect(byId[alice.user.id]).toBe('away');
    expect(Object.keys(byId).sort()).toEqual([alice.user.id, bob.user.id].sort());
    await expectError(bob.client.getStatusesByIds([]), 400, 'api.context.invalid_body_param.app_error');
    await expectError(
      bob.client.getStatusesByIds(['short']),
      400,
      'api.context.invalid_body_param.app_error',
    );
  });

  it('refuses an invalid status and statuses of other users (except for admins)', async () => {
    await expectError(
      bob.client.updateStatus({ user_id: bob.user.id, status: 'sleeping' } as never),
      400,
      'api.context.invalid_body_param.app_error',
    );
    await expectError(
      bob.client.updateStatus({ user_id: alice.user.id, status: 'online' } as never),
      403,
      'api.context.permissions.app_error',
    );
    await expect(
      admin.client.updateStatus({ user_id: bob.user.id, status: 'online' } as never),
    ).resolves.toMatchObject({ user_id: bob.user.id, status: 'online' });
  });

  it('lets an unauthenticated request fail with 401', async () => {
    await expectError(
      newClient(cluster.url).getStatus(alice.user.id),
      401,
      'api.context.session_expired.app_error',
    );
  });
});
