import { ok, type RequestContext, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { Services } from '../services.js';
import { isSystemAdmin } from '../store/users.js';
import { broadcastTo } from '../ws/broadcast.js';
import { userIdParam } from './params.js';
import { readablePost } from './post-access.js';

// User preferences (server/channels/api4/preference.go): the web app and LTNG read them at first
// load (direct/group channel show, collapsed threads) and write them when a DM or GM is opened.

interface Preference {
  user_id: string;
  category: string;
  name: string;
  value: string;
}

const COLUMNS = 'user_id, category, name, value';
const MAX_PREFERENCES = 100;

function ownUser(ctx: RequestContext): string {
  const userId = userIdParam(ctx);
  if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit_other_users');
  return userId;
}

async function preferencesBody(ctx: RequestContext, userId: string): Promise<Preference[]> {
  const body = await ctx.json('preferences');
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_PREFERENCES)
    throw invalidBodyParam('preferences');
  return body.map((raw, i) => {
    const p = (raw ?? {}) as Record<string, unknown>;
    const pref = {
      user_id: typeof p.user_id === 'string' ? p.user_id : '',
      category: typeof p.category === 'string' ? p.category : '',
      name: typeof p.name === 'string' ? p.name : '',
      value: typeof p.value === 'string' ? p.value : '',
    };
    if (pref.user_id !== userId) throw forbidden(`preferences[${i}].user_id`);
    if (!pref.category || pref.category.length > 32 || pref.name.length > 32)
      throw new AppError('model.preference.is_valid.category.app_error', 'Invalid category.', 400);
    return pref;
  });
}

async function list(s: Services, userId: string, category?: string, name?: string) {
  const params: string[] = [userId];
  let where = 'user_id = $1';
  if (category !== undefined) {
    params.push(category);
    where += ` AND category = $${params.length}`;
  }
  if (name !== undefined) {
    params.push(name);
    where += ` AND name = $${params.length}`;
  }
  const { rows } = await s.db.readFresh<Preference>(
    'PreferenceStore.Get',
    `SELECT ${COLUMNS} FROM preferences WHERE ${where} ORDER BY category, name`,
    params,
  );
  return rows;
}

export function registerPreferenceRoutes(api: ApiRouter): void {
  api.get('/api/v4/users/:user_id/preferences', 'getPreferences', async (ctx, s) =>
    ok(await list(s, ownUser(ctx))),
  );

  api.put('/api/v4/users/:user_id/preferences', 'updatePreferences', async (ctx, s) => {
    const userId = ownUser(ctx);
    const prefs = await preferencesBody(ctx, userId);
    // A flagged_post preference must name a post the user can read.
    for (const p of prefs) if (p.category === 'flagged_post') await readablePost(ctx, s, p.name);
    await s.db.tx('PreferenceStore.Save', async (c) => {
      for (const p of prefs) {
        await c.query(
          `INSERT INTO preferences (${COLUMNS}) VALUES ($1,$2,$3,$4)
           ON CONFLICT (user_id, category, name) DO UPDATE SET value = EXCLUDED.value`,
          [p.user_id, p.category, p.name, p.value],
        );
      }
    });
    s.events.publish({
      event: 'preferences_changed',
      data: { preferences: JSON.stringify(prefs) },
      broadcast: broadcastTo({ user_id: userId }),
    });
    return statusOk;
  });

  api.post('/api/v4/users/:user_id/preferences/delete', 'deletePreferences', async (ctx, s) => {
    const userId = ownUser(ctx);
    const prefs = await preferencesBody(ctx, userId);
    await s.db.tx('PreferenceStore.Delete', async (c) => {
      for (const p of prefs) {
        await c.query('DELETE FROM preferences WHERE user_id = $1 AND category = $2 AND name = $3', [
          p.user_id,
          p.category,
          p.name,
        ]);
      }
    });
    return statusOk;
  });

  api.get('/api/v4/users/:user_id/preferences/:category', 'getPreferencesByCategory', async (ctx, s) =>
    ok(await list(s, ownUser(ctx), ctx.param('category'))),
  );

  api.get(
    '/api/v4/users/:user_id/preferences/:category/name/:preference_name',
    'getPreferenceByCategoryAndName',
    async (ctx, s) => {
      const found = await list(s, ownUser(ctx), ctx.param('category'), ctx.param('preference_name'));
      if (!found[0]) throw new AppError('app.preference.get.app_error', 'Unable to find preference.', 404);
      return ok(found[0]);
    },
  );
}
