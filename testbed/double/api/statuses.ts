import { ok } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { getStatuses, isStatusValue, setStatus } from '../store/statuses.js';
import { isSystemAdmin } from '../store/users.js';
import { userIdParam } from './params.js';

// Statuses need no permission to read (as in Mattermost); a user without a status row is offline.
export function registerStatusRoutes(api: ApiRouter): void {
  api.get('/api/v4/users/:user_id/status', 'getUserStatus', async (ctx, s) => {
    const [status] = await getStatuses(s.db, [userIdParam(ctx)]);
    return ok(status);
  });

  api.put('/api/v4/users/:user_id/status', 'updateUserStatus', async (ctx, s) => {
    const userId = userIdParam(ctx);
    const body = await ctx.object('status');
    // The user in the body must be the one in the URL.
    if (body.optionalString('user_id') !== userId) throw invalidBodyParam('user_id');
    if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit other users');
    const status = body.optionalString('status');
    if (!isStatusValue(status)) throw invalidBodyParam('status');
    const dndEndTime = status === 'dnd' ? Math.max(0, Math.trunc(body.optionalNumber('dnd_end_time'))) : 0;
    // A status set through the API is manual: automatic updates leave it alone.
    await setStatus(s, userId, status, true, dndEndTime);
    const [current] = await getStatuses(s.db, [userId]);
    return ok(current);
  });

  api.post('/api/v4/users/status/ids', 'getUserStatusesByIds', async (ctx, s) => {
    let ids: unknown;
    try {
      ids = await ctx.json('user_ids');
    } catch (err) {
      // model.ArrayFromJSON yields an empty list for a malformed body.
      if (!(err instanceof AppError) || err.id !== 'api.context.invalid_body_param.app_error') throw err;
      ids = [];
    }
    if (!Array.isArray(ids) || ids.length === 0) throw invalidBodyParam('user_ids');
    if (ids.some((id) => typeof id !== 'string' || id.length !== 26)) throw invalidBodyParam('user_ids');
    return ok(await getStatuses(s.db, [...new Set(ids as string[])]));
  });
}
