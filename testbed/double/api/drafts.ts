import { ok, type RequestContext, statusOk } from '../http/context.js';
import { AppError, forbidden, invalidParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { isValidId } from '../model/ids.js';
import type { Services } from '../services.js';
import { getChannel } from '../store/channels.js';
import {
  type DraftRow,
  deleteDraft,
  draftsForUser,
  getDraft,
  toDraft,
  upsertDraft,
} from '../store/drafts.js';
import { canViewTeam } from '../store/teams.js';
import { broadcastTo } from '../ws/broadcast.js';
import { idParam, userIdParam } from './params.js';
import { requireChannelPermission } from './post-access.js';

// Synced drafts (ServiceSettings.AllowSyncedDrafts, on by default).

const DRAFT_MESSAGE_MAX_RUNES = 16383;

function publishDraft(
  s: Services,
  event: 'draft_created' | 'draft_deleted',
  row: DraftRow,
  connectionId: string,
) {
  s.events.publish({
    event,
    data: { draft: JSON.stringify(toDraft(row)) },
    broadcast: broadcastTo({ user_id: row.user_id, omit_connection_id: connectionId }),
  });
}

export function registerDraftRoutes(api: ApiRouter): void {
  api.post('/api/v4/drafts', 'upsertDraft', async (ctx, s) => {
    let body: Awaited<ReturnType<typeof ctx.object>>;
    try {
      body = await ctx.object('draft');
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 400) throw invalidParam('draft');
      throw err;
    }
    const channelId = body.optionalString('channel_id');
    const rootId = body.optionalString('root_id');
    const message = body.optionalString('message');
    const fileIds = body.optionalStringArray('file_ids');
    await requireChannelPermission(ctx, s, channelId, 'create_post');
    const channel = await getChannel(s.db, channelId, s.db.primary);
    if (!channel) throw invalidParam('draft.channel_id');
    if (channel.delete_at !== 0) {
      throw new AppError(
        'api.draft.create_draft.can_not_draft_to_deleted.error',
        'Can not create draft in deleted channel',
        400,
      );
    }
    if (rootId !== '' && !isValidId(rootId)) {
      throw new AppError('model.draft.is_valid.root_id.app_error', 'Invalid root ID.', 400);
    }
    if ([...message].length > DRAFT_MESSAGE_MAX_RUNES) {
      throw new AppError('model.draft.is_valid.msg.app_error', 'Invalid Message.', 400);
    }
    const connectionId = String(ctx.req.headers['connection-id'] ?? '');
    // An empty draft is a deletion; Mattermost then answers 201 with no draft.
    if (message === '' && fileIds.length === 0) {
      const removed = await deleteDraft(s.db, ctx.me.user_id, channelId, rootId);
      if (removed) publishDraft(s, 'draft_deleted', removed, connectionId);
      return ok(null, 201);
    }
    const row = await upsertDraft(s.db, {
      user_id: ctx.me.user_id,
      channel_id: channelId,
      root_id: rootId,
      message,
      props: body.optionalObject('props'),
      file_ids: fileIds,
      create_at: body.optionalNumber('create_at'),
    });
    publishDraft(s, 'draft_created', row, connectionId);
    return ok(toDraft(row), 201);
  });

  api.get('/api/v4/users/:user_id/teams/:team_id/drafts', 'getDrafts', async (ctx, s) => {
    userIdParam(ctx);
    const teamId = idParam(ctx, 'team_id');
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('create_post');
    return ok((await draftsForUser(s.db, ctx.me.user_id, teamId)).map(toDraft));
  });

  const remove = async (ctx: RequestContext, s: Services) => {
    userIdParam(ctx);
    const channelId = idParam(ctx, 'channel_id');
    const rootId = ctx.param('thread_id');
    if (rootId !== '' && !/^[A-Za-z0-9]+$/.test(rootId)) throw invalidParam('thread_id');
    // Deleting a draft that is not there is fine: the client only wants it gone.
    const existing = await getDraft(s.db, ctx.me.user_id, channelId, rootId);
    if (!existing) return statusOk;
    const removed = await deleteDraft(s.db, ctx.me.user_id, channelId, rootId);
    if (removed) publishDraft(s, 'draft_deleted', removed, String(ctx.req.headers['connection-id'] ?? ''));
    return statusOk;
  };
  api.delete('/api/v4/users/:user_id/channels/:channel_id/drafts', 'deleteDraft', remove);
  api.delete('/api/v4/users/:user_id/channels/:channel_id/drafts/:thread_id', 'deleteDraft', remove);
}
