import { statusOk } from '../http/context.js';
import { invalidParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';

// PUT /api/v4/users/sessions/device: the mobile app attaches its device id ("apple:<token>",
// "android:<token>") to its session; from then on the session's user gets push notifications.

export function registerDeviceRoutes(api: ApiRouter): void {
  api.put('/api/v4/users/sessions/device', 'attachDeviceId', async (ctx, s) => {
    const body = await ctx.object('device');
    const deviceId = body.optionalString('device_id');
    if (deviceId === '') throw invalidParam('device_id');
    await s.db.write('SessionStore.UpdateDeviceId', 'UPDATE sessions SET device_id = $1 WHERE token = $2', [
      deviceId,
      ctx.me.token,
    ]);
    return statusOk;
  });
}
