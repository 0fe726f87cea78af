import { BodyReader } from '../http/body.js';
import { ok, type RequestContext } from '../http/context.js';
import { AppError, forbidden, invalidParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId, newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { isAdmin } from './post-access.js';
import { createPost, postingContext } from './posts.js';

// Incoming webhooks, as Mattermost has them: a channel member creates a hook
// (POST /api/v4/hooks/incoming {channel_id}), and anyone holding its URL posts to the channel as
// the hook's creator (POST /hooks/{id} {text, username, attachments}), with props.from_webhook.
// `mmdrill notify` is tested against it.

interface HookRow {
  id: string;
  channel_id: string;
  user_id: string;
  team_id: string;
  display_name: string;
  description: string;
  create_at: string;
}

function toHook(row: HookRow) {
  const at = Number(row.create_at);
  return {
    id: row.id,
    create_at: at,
    update_at: at,
    delete_at: 0,
    user_id: row.user_id,
    channel_id: row.channel_id,
    team_id: row.team_id,
    display_name: row.display_name,
    description: row.description,
    username: '',
    icon_url: '',
    channel_locked: false,
  };
}

export function registerIncomingWebhookRoutes(api: ApiRouter): void {
  api.post('/api/v4/hooks/incoming', 'createIncomingHook', async (ctx, s) => {
    const body = await ctx.object('hook');
    const channelId = body.optionalString('channel_id');
    const { channel, isMember } = await postingContext(s, channelId, ctx.me.user_id);
    if (!channel) throw invalidParam('hook.channel_id');
    if (!isMember && !isAdmin(ctx)) throw forbidden('manage_incoming_webhooks');
    const { rows } = await s.db.write<HookRow>(
      'WebhookStore.SaveIncoming',
      `INSERT INTO incoming_webhooks (id, channel_id, user_id, team_id, display_name, description, create_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        newId(),
        channel.id,
        ctx.me.user_id,
        channel.team_id,
        body.optionalString('display_name'),
        body.optionalString('description'),
        Date.now(),
      ],
    );
    return ok(toHook(rows[0]!), 201);
  });

  api.post('/hooks/:hook_id', 'incomingWebhook', (ctx, s) => postThroughHook(ctx, s), { auth: false });
}

async function postThroughHook(ctx: RequestContext, s: Services) {
  const hookId = ctx.param('hook_id');
  const { rows } = await s.db.read<HookRow>(
    'WebhookStore.GetIncoming',
    'SELECT * FROM incoming_webhooks WHERE id = $1',
    [isValidId(hookId) ? hookId : ''],
  );
  const hook = rows[0];
  if (!hook) throw new AppError('web.incoming_webhook.invalid.app_error', 'Invalid webhook.', 400);
  const raw = await ctx.json('payload');
  const body = new BodyReader(raw, 'payload');
  const text = body.optionalString('text');
  const given = (raw as { attachments?: unknown }).attachments;
  if (given !== undefined && !Array.isArray(given)) throw invalidParam('payload.attachments');
  const attachments = (given ?? []) as unknown[];
  if (text === '' && attachments.length === 0)
    throw new AppError('web.incoming_webhook.text.app_error', 'No text specified.', 400);
  const { channel, senderUsername } = await postingContext(s, hook.channel_id, hook.user_id);
  if (!channel)
    throw new AppError('web.incoming_webhook.channel.app_error', 'Couldn\u2019t find the channel.', 400);
  const username = body.optionalString('username');
  await createPost(s, channel, senderUsername, {
    channel_id: channel.id,
    root_id: '',
    message: text,
    type: '',
    props: {
      from_webhook: 'true',
      ...(username !== '' && { override_username: username }),
      ...(attachments.length > 0 && { attachments }),
    },
    file_ids: [],
    pending_post_id: '',
    create_at: 0,
    user_id: hook.user_id,
  });
  return ok('ok');
}
