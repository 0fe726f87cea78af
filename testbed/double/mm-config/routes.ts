import { ok } from '../http/context.js';
import { AppError, forbidden } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isSystemAdmin } from '../store/users.js';
import { type ConfigObject, valueAt } from './defaults.js';
import { desanitize, sanitize } from './secrets.js';

// GET and PUT /api/v4/config, as Mattermost answers them: system admins only (403 with the
// permissions AppError otherwise), secrets masked on the way out and kept when the mask comes
// back. Like Mattermost, a PUT cannot switch plugin uploads on through the API.

function isConfigObject(v: unknown): v is ConfigObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function registerConfigRoutes(api: ApiRouter): void {
  api.get('/api/v4/config', 'getConfig', async (ctx, s) => {
    if (!isSystemAdmin(ctx.me.roles)) throw forbidden('sysconsole_read_*');
    return ok(sanitize(s.mmConfig.current()));
  });

  api.put('/api/v4/config', 'updateConfig', async (ctx, s) => {
    if (!isSystemAdmin(ctx.me.roles)) throw forbidden('manage_system');
    const body = await ctx.json('config');
    if (!isConfigObject(body)) {
      throw new AppError(
        'api.context.invalid_body_param.app_error',
        'Invalid or missing config in request body.',
        400,
      );
    }
    const stored = s.mmConfig.current();
    const next = desanitize(body, stored);
    // updateConfig keeps PluginSettings.EnableUploads as it was (settable only in config.json).
    const uploads = valueAt(stored, ['PluginSettings', 'EnableUploads']);
    const plugins = next.PluginSettings;
    if (isConfigObject(plugins) && uploads !== undefined) plugins.EnableUploads = uploads;
    await s.mmConfig.save(next);
    s.log.info('config updated', { user_id: ctx.me.user_id });
    return ok(sanitize(next));
  });
}
