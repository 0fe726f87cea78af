import { ok } from '../http/context.js';
import { AppError, forbidden, invalidBodyParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import { newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { canViewTeam } from '../store/teams.js';
import { idParam } from './params.js';
import { requireChannelPermission } from './post-access.js';

// Scheduled posts (server/channels/api4/scheduled_post.go): LTNG creates, edits, deletes and
// sends them, and reads the team's list in LOADTEAM. The double stores them and never sends
// them by itself (no job runs them); the create/update/delete statuses are Mattermost's (201).

interface ScheduledRow {
  id: string;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  props: Record<string, unknown>;
  file_ids: string[];
  scheduled_at: number;
  processed_at: number;
  error_code: string;
  create_at: number;
  update_at: number;
}

const COLUMNS =
  'id, user_id, channel_id, root_id, message, props, file_ids, scheduled_at, processed_at, error_code, create_at, update_at';

function toScheduledPost(row: ScheduledRow) {
  const { file_ids, ...rest } = row;
  return {
    ...rest,
    scheduled_at: Number(row.scheduled_at),
    processed_at: Number(row.processed_at),
    create_at: Number(row.create_at),
    update_at: Number(row.update_at),
    delete_at: 0,
    type: '',
    ...(file_ids.length > 0 ? { file_ids } : {}),
  };
}

async function own(s: Services, userId: string, id: string): Promise<ScheduledRow> {
  const { rows } = await s.db.write<ScheduledRow>(
    'ScheduledPostStore.Get',
    `SELECT ${COLUMNS} FROM scheduled_posts WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row)
    throw new AppError(
      'app.scheduled_post.get.app_error',
      'Unable to get the scheduled post.',
      404,
      `id=${id}`,
    );
  if (row.user_id !== userId) throw forbidden('scheduled post of another user');
  return row;
}

function bodyOf(raw: unknown) {
  const b = (raw ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const scheduledAt = typeof b.scheduled_at === 'number' ? b.scheduled_at : 0;
  return {
    id: str('id'),
    channel_id: str('channel_id'),
    root_id: str('root_id'),
    message: str('message'),
    props: b.props && typeof b.props === 'object' ? b.props : {},
    file_ids: Array.isArray(b.file_ids) ? b.file_ids.filter((x) => typeof x === 'string') : [],
    scheduled_at: scheduledAt,
  };
}

export function registerScheduledPostRoutes(api: ApiRouter): void {
  api.post('/api/v4/posts/schedule', 'createSchedulePost', async (ctx, s) => {
    const b = bodyOf(await ctx.json('scheduled_post'));
    if (!b.channel_id) throw invalidBodyParam('channel_id');
    if (b.scheduled_at <= Date.now())
      throw new AppError(
        'app.save_scheduled_post.invalid_time.app_error',
        'Scheduled time must be in the future.',
        400,
      );
    await requireChannelPermission(ctx, s, b.channel_id, 'create_post');
    const now = Date.now();
    const { rows } = await s.db.write<ScheduledRow>(
      'ScheduledPostStore.CreateScheduledPost',
      `INSERT INTO scheduled_posts (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,0,'',$9,$9) RETURNING ${COLUMNS}`,
      [
        newId(),
        ctx.me.user_id,
        b.channel_id,
        b.root_id,
        b.message,
        JSON.stringify(b.props),
        JSON.stringify(b.file_ids),
        b.scheduled_at,
        now,
      ],
    );
    return ok(toScheduledPost(rows[0]!), 201);
  });

  api.put('/api/v4/posts/schedule/:scheduled_post_id', 'updateScheduledPost', async (ctx, s) => {
    const id = idParam(ctx, 'scheduled_post_id');
    const b = bodyOf(await ctx.json('scheduled_post'));
    if (b.id !== id) throw invalidBodyParam('scheduled_post.id');
    const current = await own(s, ctx.me.user_id, id);
    const { rows } = await s.db.write<ScheduledRow>(
      'ScheduledPostStore.UpdatedScheduledPost',
      `UPDATE scheduled_posts SET message = $2, scheduled_at = $3, props = $4, file_ids = $5, update_at = $6 WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        b.message,
        b.scheduled_at || current.scheduled_at,
        JSON.stringify(b.props),
        JSON.stringify(b.file_ids),
        Date.now(),
      ],
    );
    return ok(toScheduledPost(rows[0]!), 201);
  });

  api.delete('/api/v4/posts/schedule/:scheduled_post_id', 'deleteScheduledPost', async (ctx, s) => {
    const id = idParam(ctx, 'scheduled_post_id');
    const current = await own(s, ctx.me.user_id, id);
    await s.db.write(
      'ScheduledPostStore.PermanentlyDeleteScheduledPosts',
      'DELETE FROM scheduled_posts WHERE id = $1',
      [id],
    );
    return ok(toScheduledPost(current), 201);
  });

  // The user's scheduled posts of the team's channels under the team id, DMs/GMs under directChannels.
  api.get('/api/v4/posts/scheduled/team/:team_id', 'getTeamScheduledPosts', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
    const withDirect = ctx.query.get('includeDirectChannels') === 'true';
    const { rows } = await s.db.read<ScheduledRow & { team_id: string }>(
      'ScheduledPostStore.GetScheduledPostsForUser',
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `sp.${c}`)
        .join(', ')}, c.team_id FROM scheduled_posts sp JOIN channels c ON c.id = sp.channel_id
        WHERE sp.user_id = $1 AND (c.team_id = $2 OR ($3 AND c.team_id = '')) ORDER BY sp.scheduled_at`,
      [ctx.me.user_id, teamId, withDirect],
    );
    const out: Record<string, unknown[]> = { [teamId]: [] };
    if (withDirect) out.directChannels = [];
    for (const { team_id, ...row } of rows)
      out[team_id === '' ? 'directChannels' : teamId]!.push(toScheduledPost(row));
    return ok(out);
  });
}
