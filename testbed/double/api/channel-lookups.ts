import { ok, type RequestContext } from '../http/context.js';
import { forbidden } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { Services } from '../services.js';
import { CHANNEL_COLUMNS, type ChannelRow, toChannel } from '../store/channels.js';
import { canViewTeam } from '../store/teams.js';
import { isSystemAdmin } from '../store/users.js';
import { idParam } from './params.js';

// Channel searches clients run while the user types: the channel switcher across teams
// (POST /channels/search), group messages by member name (POST /channels/group/search), and a
// team's channel autocomplete (search_autocomplete for the search box, autocomplete for ~links).
// Plus the team statistics the add-members dialog reads.

const LIMIT = 50;

function like(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const C = CHANNEL_COLUMNS.split(', ')
  .map((c) => `c.${c}`)
  .join(', ');

async function termOf(ctx: RequestContext): Promise<string> {
  return (await ctx.object('channel_search')).optionalString('term').trim();
}

async function teamChannels(ctx: RequestContext, s: Services, method: string): Promise<ChannelRow[]> {
  const teamId = idParam(ctx, 'team_id');
  if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
  const name = ctx.query.get('name') ?? '';
  // Open channels of the team and private ones the user belongs to, by name or display name.
  const { rows } = await s.db.read<ChannelRow>(
    method,
    `SELECT ${C} FROM channels c
      WHERE c.team_id = $1 AND c.delete_at = 0
        AND (c.type = 'O' OR (c.type = 'P' AND c.id IN (SELECT channel_id FROM channel_members WHERE user_id = $3)))
        AND (lower(c.name) LIKE $2 OR lower(c.display_name) LIKE $2)
      ORDER BY c.display_name, c.id LIMIT ${LIMIT}`,
    [teamId, like(name), ctx.me.user_id],
  );
  return rows;
}

export function registerChannelLookupRoutes(api: ApiRouter): void {
  // searchAllChannels for a regular user (system_console=false): channels of the user's teams
  // they can see; with system_console=true it needs a system admin and covers every channel.
  api.post('/api/v4/channels/search', 'searchAllChannels', async (ctx, s) => {
    const term = await termOf(ctx);
    const consoleSearch = ctx.query.get('system_console') !== 'false';
    if (consoleSearch && !isSystemAdmin(ctx.me.roles))
      throw forbidden('sysconsole_read_user_management_channels');
    const { rows } = await s.db.read<
      ChannelRow & { team_display_name: string; team_name: string; team_update_at: number }
    >(
      'ChannelStore.SearchAllChannels',
      `SELECT ${C}, t.display_name AS team_display_name, t.name AS team_name, t.update_at AS team_update_at
         FROM channels c JOIN teams t ON t.id = c.team_id
        WHERE c.delete_at = 0 AND c.type IN ('O', 'P')
          AND (lower(c.name) LIKE $1 OR lower(c.display_name) LIKE $1)
          AND ($2 OR (c.team_id IN (SELECT team_id FROM team_members WHERE user_id = $3 AND delete_at = 0)
                      AND (c.type = 'O' OR c.id IN (SELECT channel_id FROM channel_members WHERE user_id = $3))))
        ORDER BY c.display_name, c.id LIMIT ${LIMIT}`,
      [like(term), consoleSearch, ctx.me.user_id],
    );
    return ok(
      rows.map(({ team_display_name, team_name, team_update_at, ...row }) => ({
        ...toChannel(row),
        team_display_name,
        team_name,
        team_update_at,
      })),
    );
  });

  // searchGroupChannels: the user's GMs having a member whose username matches the term.
  api.post('/api/v4/channels/group/search', 'searchGroupChannels', async (ctx, s) => {
    const term = (await termOf(ctx)).replace(/^@/, '');
    const { rows } = await s.db.read<ChannelRow>(
      'ChannelStore.SearchGroupChannels',
      `SELECT ${C} FROM channels c
        WHERE c.type = 'G' AND c.delete_at = 0
          AND c.id IN (SELECT channel_id FROM channel_members WHERE user_id = $1)
          AND EXISTS (SELECT 1 FROM channel_members m JOIN users u ON u.id = m.user_id
                       WHERE m.channel_id = c.id AND lower(u.username) LIKE $2)
        ORDER BY c.display_name, c.id LIMIT ${LIMIT}`,
      [ctx.me.user_id, like(term)],
    );
    return ok(rows.map(toChannel));
  });

  api.get(
    '/api/v4/teams/:team_id/channels/search_autocomplete',
    'autocompleteChannelsForTeamForSearch',
    async (ctx, s) =>
      ok((await teamChannels(ctx, s, 'ChannelStore.AutocompleteInTeamForSearch')).map(toChannel)),
  );

  api.get('/api/v4/teams/:team_id/channels/autocomplete', 'autocompleteChannelsForTeam', async (ctx, s) =>
    ok((await teamChannels(ctx, s, 'ChannelStore.AutocompleteInTeam')).map(toChannel)),
  );

  api.get('/api/v4/teams/:team_id/stats', 'getTeamStats', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
    const { rows } = await s.db.read<{ n: string }>(
      'TeamStore.GetTotalMemberCount',
      `SELECT count(*)::text AS n FROM team_members tm JOIN users u ON u.id = tm.user_id
        WHERE tm.team_id = $1 AND tm.delete_at = 0 AND u.delete_at = 0`,
      [teamId],
    );
    const n = Number(rows[0]?.n ?? 0);
    return ok({ team_id: teamId, total_member_count: n, active_member_count: n });
  });
}
