import { ok, type RequestContext } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { canViewTeam } from '../store/teams.js';
import { isSystemAdmin } from '../store/users.js';
import { idParam, userIdParam } from './params.js';

// Sidebar categories (server/channels/api4/channel_category.go): every user has favorites,
// channels and direct_messages per team, created on first read with Mattermost's ids
// (`<type>_<user>_<team>`); a channel not placed in any category lands in channels (public and
// private) or direct_messages (DMs and GMs) when read. LTNG reads them in LOADTEAM and writes
// them in CreateSidebarCategory / UpdateSidebarCategory.

interface CategoryRow {
  id: string;
  user_id: string;
  team_id: string;
  type: string;
  display_name: string;
  sort_order: number;
  sorting: string;
  muted: boolean;
  collapsed: boolean;
  channel_ids: string[];
}

const COLUMNS =
  'id, user_id, team_id, type, display_name, sort_order, sorting, muted, collapsed, channel_ids';
const DEFAULTS = [
  { type: 'favorites', display_name: 'Favorites', sort_order: 0 },
  { type: 'channels', display_name: 'Channels', sort_order: 10 },
  { type: 'direct_messages', display_name: 'Direct Messages', sort_order: 20 },
];

async function scope(ctx: RequestContext, s: Services): Promise<{ userId: string; teamId: string }> {
  const userId = userIdParam(ctx);
  const teamId = idParam(ctx, 'team_id');
  if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit_other_users');
  if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
  return { userId, teamId };
}

async function categories(s: Services, userId: string, teamId: string): Promise<CategoryRow[]> {
  await s.db.tx('ChannelStore.CreateInitialSidebarCategories', async (c) => {
    for (const d of DEFAULTS) {
      await c.query(
        `INSERT INTO sidebar_categories (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,'',false,false,'[]') ON CONFLICT (id) DO NOTHING`,
        [`${d.type}_${userId}_${teamId}`, userId, teamId, d.type, d.display_name, d.sort_order],
      );
    }
  });
  const [{ rows }, channels] = await Promise.all([
    s.db.write<CategoryRow>(
      'ChannelStore.GetSidebarCategories',
      `SELECT ${COLUMNS} FROM sidebar_categories WHERE user_id = $1 AND team_id = $2 ORDER BY sort_order, id`,
      [userId, teamId],
    ),
    s.db.write<{ id: string; type: string }>(
      'ChannelStore.GetChannels',
      `SELECT c.id, c.type FROM channels c JOIN channel_members m ON m.channel_id = c.id
        WHERE m.user_id = $1 AND (c.team_id = $2 OR c.team_id = '') AND c.delete_at = 0 ORDER BY c.display_name, c.id`,
      [userId, teamId],
    ),
  ]);
  const placed = new Set(rows.flatMap((r) => r.channel_ids));
  const member = new Set(channels.rows.map((c) => c.id));
  for (const row of rows) row.channel_ids = row.channel_ids.filter((id) => member.has(id));
  for (const ch of channels.rows) {
    if (placed.has(ch.id)) continue;
    const target = rows.find(
      (r) => r.type === (ch.type === 'D' || ch.type === 'G' ? 'direct_messages' : 'channels'),
    );
    target?.channel_ids.push(ch.id);
  }
  return rows;
}

function categoryBody(raw: unknown, userId: string, teamId: string): Partial<CategoryRow> & { id?: string } {
  const c = (raw ?? {}) as Record<string, unknown>;
  if (c.user_id !== userId || c.team_id !== teamId) throw invalidBodyParam('category');
  const ids = Array.isArray(c.channel_ids)
    ? c.channel_ids.filter((x): x is string => typeof x === 'string')
    : [];
  return {
    ...(typeof c.id === 'string' ? { id: c.id } : {}),
    display_name: typeof c.display_name === 'string' ? c.display_name : '',
    sorting: typeof c.sorting === 'string' ? c.sorting : '',
    muted: c.muted === true,
    collapsed: c.collapsed === true,
    channel_ids: ids,
  };
}

export function registerSidebarCategoryRoutes(api: ApiRouter): void {
  const path = '/api/v4/users/:user_id/teams/:team_id/channels/categories';

  api.get(path, 'getCategoriesForTeamForUser', async (ctx, s) => {
    const { userId, teamId } = await scope(ctx, s);
    const rows = await categories(s, userId, teamId);
    return ok({ categories: rows, order: rows.map((r) => r.id) });
  });

  api.post(path, 'createCategoryForTeamForUser', async (ctx, s) => {
    const { userId, teamId } = await scope(ctx, s);
    const body = categoryBody(await ctx.json('category'), userId, teamId);
    if (!body.display_name) throw invalidBodyParam('category.display_name');
    const existing = await categories(s, userId, teamId);
    const moved = new Set(body.channel_ids);
    const id = newId();
    await s.db.tx('ChannelStore.CreateSidebarCategory', async (c) => {
      for (const other of existing.filter((r) => r.type === 'custom' || r.type === 'favorites')) {
        await c.query('UPDATE sidebar_categories SET channel_ids = $2 WHERE id = $1', [
          other.id,
          JSON.stringify(other.channel_ids.filter((x) => !moved.has(x))),
        ]);
      }
      await c.query(
        `INSERT INTO sidebar_categories (${COLUMNS}) VALUES ($1,$2,$3,'custom',$4,$5,$6,$7,$8,$9)`,
        [
          id,
          userId,
          teamId,
          body.display_name,
          5,
          body.sorting,
          body.muted,
          body.collapsed,
          JSON.stringify(body.channel_ids),
        ],
      );
    });
    const created = (await categories(s, userId, teamId)).find((r) => r.id === id);
    return ok(created);
  });

  api.put(path, 'updateCategoriesForTeamForUser', async (ctx, s) => {
    const { userId, teamId } = await scope(ctx, s);
    const raw = await ctx.json('categories');
    if (!Array.isArray(raw) || raw.length === 0) throw invalidBodyParam('categories');
    const updates = raw.map((r) => categoryBody(r, userId, teamId));
    const existing = new Map((await categories(s, userId, teamId)).map((r) => [r.id, r]));
    for (const u of updates) {
      if (!u.id || !existing.has(u.id))
        throw new AppError(
          'app.channel.sidebar_categories.app_error',
          'Category does not belong to this user and team.',
          400,
        );
    }
    await s.db.tx('ChannelStore.UpdateSidebarCategories', async (c) => {
      for (const u of updates) {
        await c.query(
          "UPDATE sidebar_categories SET channel_ids = $2, sorting = $3, muted = $4, collapsed = $5, display_name = COALESCE(NULLIF($6, ''), display_name) WHERE id = $1",
          [u.id, JSON.stringify(u.channel_ids), u.sorting, u.muted, u.collapsed, u.display_name],
        );
      }
    });
    const ids = new Set(updates.map((u) => u.id));
    return ok((await categories(s, userId, teamId)).filter((r) => ids.has(r.id)));
  });
}
