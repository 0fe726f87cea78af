import { ok } from '../http/context.js';
import { AppError, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { getFileInfo, toFileInfo } from '../store/files.js';
import { idParam } from './params.js';
import { readableChannel, requireChannelPermission } from './post-access.js';

// Channel bookmarks (server/channels/api4/channel_bookmark.go). LTNG reads them on every channel
// switch when FeatureFlagChannelBookmarks is on (42 % of its action mix) and writes them rarely.
// The double is licensed, so no 501.

interface BookmarkRow {
  id: string;
  channel_id: string;
  owner_id: string;
  file_id: string;
  display_name: string;
  link_url: string;
  image_url: string;
  emoji: string;
  type: string;
  sort_order: number;
  create_at: number;
  update_at: number;
  delete_at: number;
}

const COLUMNS =
  'id, channel_id, owner_id, file_id, display_name, link_url, image_url, emoji, type, sort_order, create_at, update_at, delete_at';

async function toBookmark(s: Services, row: BookmarkRow) {
  const { link_url, image_url, emoji, ...always } = row;
  const out: Record<string, unknown> = { ...always, sort_order: Number(row.sort_order) };
  if (link_url) out.link_url = link_url;
  if (image_url) out.image_url = image_url;
  if (emoji) out.emoji = emoji;
  if (row.file_id) {
    const info = await getFileInfo(s.db, row.file_id);
    if (info) out.file = toFileInfo(info);
  }
  return out;
}

async function listFor(s: Services, channelId: string, since = 0) {
  const { rows } = await s.db.readFresh<BookmarkRow>(
    'ChannelBookmarkStore.GetBookmarksForChannelSince',
    `SELECT ${COLUMNS} FROM channel_bookmarks WHERE channel_id = $1 AND (delete_at = 0 OR ($2 > 0 AND update_at >= $2)) AND ($2 = 0 OR update_at >= $2) ORDER BY sort_order, id`,
    [channelId, since],
  );
  return Promise.all(rows.map((r) => toBookmark(s, r)));
}

async function requireBookmark(s: Services, channelId: string, id: string): Promise<BookmarkRow> {
  const { rows } = await s.db.write<BookmarkRow>(
    'ChannelBookmarkStore.Get',
    `SELECT ${COLUMNS} FROM channel_bookmarks WHERE id = $1 AND delete_at = 0`,
    [id],
  );
  const row = rows[0];
  if (!row)
    throw new AppError('app.channel.bookmark.get.app_error', 'Unable to get the bookmark.', 404, `id=${id}`);
  if (row.channel_id !== channelId)
    throw new AppError(
      'api.channel.bookmark.channel_mismatch.app_error',
      'The bookmark does not belong to this channel.',
      400,
    );
  return row;
}

function fields(body: Record<string, unknown>) {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  return {
    display_name: str('display_name'),
    link_url: str('link_url'),
    image_url: str('image_url'),
    emoji: str('emoji'),
    type: str('type'),
    file_id: str('file_id'),
  };
}

export function registerBookmarkRoutes(api: ApiRouter): void {
  api.get('/api/v4/channels/:channel_id/bookmarks', 'listChannelBookmarksForChannel', async (ctx, s) => {
    const channelId = idParam(ctx, 'channel_id');
    await readableChannel(ctx, s, channelId);
    return ok(await listFor(s, channelId, ctx.intQuery('bookmarks_since', 0)));
  });

  api.post('/api/v4/channels/:channel_id/bookmarks', 'createChannelBookmark', async (ctx, s) => {
    const channelId = idParam(ctx, 'channel_id');
    await requireChannelPermission(ctx, s, channelId, 'add_bookmark_public_channel');
    const f = fields((await ctx.json('channelBookmark')) as Record<string, unknown>);
    if (!f.display_name) throw invalidBodyParam('display_name');
    if (f.type !== 'link' && f.type !== 'file') throw invalidBodyParam('type');
    if (f.type === 'link' && !f.link_url) throw invalidBodyParam('link_url');
    if (f.type === 'file' && !f.file_id) throw invalidBodyParam('file_id');
    const now = Date.now();
    const { rows } = await s.db.write<BookmarkRow>(
      'ChannelBookmarkStore.Save',
      `INSERT INTO channel_bookmarks (${COLUMNS})
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,(SELECT count(*) FROM channel_bookmarks WHERE channel_id = $2 AND delete_at = 0),$10,$10,0)
       RETURNING ${COLUMNS}`,
      [
        newId(),
        channelId,
        ctx.me.user_id,
        f.file_id,
        f.display_name,
        f.link_url,
        f.image_url,
        f.emoji,
        f.type,
        now,
      ],
    );
    return ok(await toBookmark(s, rows[0]!), 201);
  });

  api.patch(
    '/api/v4/channels/:channel_id/bookmarks/:bookmark_id',
    'updateChannelBookmark',
    async (ctx, s) => {
      const channelId = idParam(ctx, 'channel_id');
      await requireChannelPermission(ctx, s, channelId, 'edit_bookmark_public_channel');
      const current = await requireBookmark(s, channelId, idParam(ctx, 'bookmark_id'));
      const body = (await ctx.json('channelBookmark')) as Record<string, unknown>;
      const f = fields(body);
      const { rows } = await s.db.write<BookmarkRow>(
        'ChannelBookmarkStore.Update',
        `UPDATE channel_bookmarks SET display_name = $2, link_url = $3, image_url = $4, emoji = $5, file_id = $6, update_at = $7
        WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          current.id,
          f.display_name || current.display_name,
          f.link_url || current.link_url,
          f.image_url || current.image_url,
          'emoji' in body ? f.emoji : current.emoji,
          f.file_id || current.file_id,
          Date.now(),
        ],
      );
      return ok({ updated: await toBookmark(s, rows[0]!) });
    },
  );

  api.post(
    '/api/v4/channels/:channel_id/bookmarks/:bookmark_id/sort_order',
    'updateChannelBookmarkSortOrder',
    async (ctx, s) => {
      const channelId = idParam(ctx, 'channel_id');
      await requireChannelPermission(ctx, s, channelId, 'order_bookmark_public_channel');
      const current = await requireBookmark(s, channelId, idParam(ctx, 'bookmark_id'));
      const order = await ctx.json('sort_order');
      if (typeof order !== 'number' || !Number.isInteger(order) || order < 0)
        throw invalidBodyParam('sort_order');
      await s.db.tx('ChannelBookmarkStore.UpdateSortOrder', async (c) => {
        const { rows } = await c.query<{ id: string }>(
          'SELECT id FROM channel_bookmarks WHERE channel_id = $1 AND delete_at = 0 AND id <> $2 ORDER BY sort_order, id',
          [channelId, current.id],
        );
        const ids = rows.map((r) => r.id);
        ids.splice(Math.min(order, ids.length), 0, current.id);
        const now = Date.now();
        for (const [i, id] of ids.entries())
          await c.query('UPDATE channel_bookmarks SET sort_order = $2, update_at = $3 WHERE id = $1', [
            id,
            i,
            now,
          ]);
      });
      return ok(await listFor(s, channelId));
    },
  );

  api.delete(
    '/api/v4/channels/:channel_id/bookmarks/:bookmark_id',
    'deleteChannelBookmark',
    async (ctx, s) => {
      const channelId = idParam(ctx, 'channel_id');
      await requireChannelPermission(ctx, s, channelId, 'delete_bookmark_public_channel');
      const current = await requireBookmark(s, channelId, idParam(ctx, 'bookmark_id'));
      const now = Date.now();
      const { rows } = await s.db.write<BookmarkRow>(
        'ChannelBookmarkStore.Delete',
        `UPDATE channel_bookmarks SET delete_at = $2, update_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [current.id, now],
      );
      return ok(await toBookmark(s, rows[0]!));
    },
  );
}
