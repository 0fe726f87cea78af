import { ok } from '../http/context.js';
import { invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { requireUser } from '../store/users.js';
import { userIdParam } from './params.js';

// Custom profile attributes (server/channels/api4/custom_profile_attributes.go): LTNG reads the
// fields at login, a user's values when it opens a profile, and patches its own values. The double
// has a fixed set of text fields (no admin API to define them) and stores the values.

const GROUP_ID = 'cpagroup000000000000000000';
export const CUSTOM_PROFILE_FIELDS = [
  { id: 'cpafielddepartment0000000a', name: 'Department' },
  { id: 'cpafieldlocation0000000000', name: 'Location' },
].map((f, i) => ({
  id: f.id.slice(0, 26),
  group_id: GROUP_ID,
  name: f.name,
  type: 'text',
  attrs: { sort_order: i, visibility: 'when_set', value_type: '' },
  target_id: '',
  target_type: 'user',
  create_at: 0,
  update_at: 0,
  delete_at: 0,
}));
const FIELD_IDS = new Set(CUSTOM_PROFILE_FIELDS.map((f) => f.id));
const MAX_VALUE_LENGTH = 64;

export function registerCustomProfileAttributeRoutes(api: ApiRouter): void {
  api.get('/api/v4/custom_profile_attributes/fields', 'listCPAFields', async () => ok(CUSTOM_PROFILE_FIELDS));

  api.get('/api/v4/users/:user_id/custom_profile_attributes', 'listCPAValues', async (ctx, s) => {
    const userId = userIdParam(ctx);
    await requireUser(s.db, userId);
    const { rows } = await s.db.read<{ field_id: string; value: string }>(
      'PropertyValueStore.SearchPropertyValues',
      'SELECT field_id, value FROM custom_profile_values WHERE user_id = $1',
      [userId],
    );
    return ok(Object.fromEntries(rows.map((r) => [r.field_id, r.value])));
  });

  api.patch('/api/v4/custom_profile_attributes/values', 'patchCPAValues', async (ctx, s) => {
    const body = await ctx.json('values');
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidBodyParam('values');
    const entries = Object.entries(body as Record<string, unknown>);
    for (const [id, v] of entries) {
      if (!FIELD_IDS.has(id)) throw invalidBodyParam(`values.${id}`);
      if (typeof v !== 'string' || v.length > MAX_VALUE_LENGTH) throw invalidBodyParam(`values.${id}`);
    }
    await s.db.tx('PropertyValueStore.UpsertPropertyValues', async (c) => {
      for (const [id, v] of entries) {
        await c.query(
          `INSERT INTO custom_profile_values (user_id, field_id, value) VALUES ($1,$2,$3)
           ON CONFLICT (user_id, field_id) DO UPDATE SET value = EXCLUDED.value`,
          [ctx.me.user_id, id, v],
        );
      }
    });
    return ok(Object.fromEntries(entries));
  });
}
