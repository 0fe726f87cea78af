import { defaultAvatarPng } from '../files/images.js';
import { ok, type Reply, type RequestContext, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isSystemAdmin, requireUser } from '../store/users.js';
import { idParam, userIdParam } from './params.js';
import { readablePost } from './post-access.js';

// Per-user odds and ends clients reach: profile images (every post list makes one request per
// author), custom status, post reminders and acknowledgements, and roles by name.

function self(ctx: RequestContext): string {
  const userId = userIdParam(ctx);
  if (userId !== ctx.me.user_id && !isSystemAdmin(ctx.me.roles)) throw forbidden('edit_other_users');
  return userId;
}

/** Roles the double hands out, with the permissions clients look at (Role always writes these keys). */
const ROLES = [
  'system_user',
  'system_admin',
  'team_user',
  'team_admin',
  'channel_user',
  'channel_admin',
  'system_guest',
  'team_guest',
  'channel_guest',
];

function role(name: string) {
  return {
    id: `role${name.replace(/_/g, '')}`.padEnd(26, '0').slice(0, 26),
    name,
    display_name: `authentication.roles.${name}.name`,
    description: `authentication.roles.${name}.description`,
    create_at: 0,
    update_at: 0,
    delete_at: 0,
    permissions: name.endsWith('admin')
      ? ['manage_system', 'create_post', 'read_channel']
      : ['create_post', 'read_channel'],
    scheme_managed: true,
    built_in: true,
    scheme_id: '',
  };
}

export function registerUserExtraRoutes(api: ApiRouter): void {
  // getProfileImage: the ETag is last_picture_update (0: nobody here uploads one), so a client that
  // sends If-None-Match: 0 (LTNG for users it has not seen) gets 304; otherwise the generated default.
  api.get('/api/v4/users/:user_id/image', 'getProfileImage', async (ctx, s): Promise<Reply> => {
    const user = await requireUser(s.db, userIdParam(ctx));
    const etag = '0';
    if (ctx.req.headers['if-none-match'] === etag)
      return { status: 304, raw: Buffer.alloc(0), headers: { ETag: etag } };
    const png = defaultAvatarPng(user.id, user.username);
    return {
      status: 200,
      raw: png,
      headers: {
        'Content-Type': 'image/png',
        'Content-Length': String(png.length),
        'Cache-Control': 'max-age=300, private',
      },
    };
  });

  api.get('/api/v4/users/:user_id/image/default', 'getDefaultProfileImage', async (ctx, s) => {
    const user = await requireUser(s.db, userIdParam(ctx));
    const png = defaultAvatarPng(user.id, user.username);
    return {
      status: 200,
      raw: png,
      headers: {
        'Content-Type': 'image/png',
        'Content-Length': String(png.length),
        'Cache-Control': 'max-age=86400, private',
      },
    };
  });

  // Custom status lives in the user's props in Mattermost; the double accepts and forgets it.
  api.put('/api/v4/users/:user_id/status/custom', 'updateUserCustomStatus', async (ctx) => {
    self(ctx);
    const body = await ctx.object('custom_status');
    if (!body.optionalString('emoji') && !body.optionalString('text'))
      throw invalidBodyParam('custom_status');
    return statusOk;
  });

  api.delete('/api/v4/users/:user_id/status/custom', 'removeUserCustomStatus', async (ctx) => {
    self(ctx);
    return statusOk;
  });

  api.post('/api/v4/users/:user_id/posts/:post_id/reminder', 'setPostReminder', async (ctx, s) => {
    self(ctx);
    await readablePost(ctx, s, idParam(ctx, 'post_id'));
    const body = await ctx.object('target_time');
    if (body.optionalNumber('target_time') <= 0) throw invalidBodyParam('target_time');
    return statusOk;
  });

  api.post('/api/v4/users/:user_id/posts/:post_id/ack', 'acknowledgePost', async (ctx, s) => {
    const userId = self(ctx);
    const postId = idParam(ctx, 'post_id');
    await readablePost(ctx, s, postId);
    const now = Date.now();
    await s.db.write(
      'PostAcknowledgementStore.Save',
      `INSERT INTO post_acknowledgements (user_id, post_id, acknowledged_at) VALUES ($1,$2,$3)
       ON CONFLICT (post_id, user_id) DO UPDATE SET acknowledged_at = EXCLUDED.acknowledged_at`,
      [userId, postId, now],
    );
    return ok({ user_id: userId, post_id: postId, acknowledged_at: now, channel_id: '', remote_id: '' });
  });

  api.post('/api/v4/roles/names', 'getRolesByNames', async (ctx) => {
    const names = await ctx.json('rolenames');
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string'))
      throw invalidBodyParam('rolenames');
    return ok((names as string[]).filter((n) => ROLES.includes(n)).map(role));
  });

  api.get('/api/v4/roles/name/:role_name', 'getRoleByName', async (ctx) => {
    const name = ctx.param('role_name');
    if (!ROLES.includes(name))
      throw new AppError('app.role.get_by_name.app_error', 'Unable to get role.', 404);
    return ok(role(name));
  });
}
