import type { Status } from '../model/types.js';
import type { Services } from '../services.js';
import { broadcastTo } from '../ws/broadcast.js';
import type { Database } from './db.js';

export type StatusValue = Status['status'];

export const STATUS_VALUES: readonly StatusValue[] = ['online', 'away', 'dnd', 'offline'];

export function isStatusValue(value: unknown): value is StatusValue {
  return typeof value === 'string' && (STATUS_VALUES as readonly string[]).includes(value);
}

interface StatusRow {
  user_id: string;
  status: StatusValue;
  manual: boolean;
  last_activity_at: number;
  dnd_end_time: number;
}

/** Statuses for the given users; users without a row are offline. */
export async function getStatuses(db: Database, userIds: string[]): Promise<Status[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.read<StatusRow>(
    'StatusStore.GetByIds',
    'SELECT user_id, status, manual, last_activity_at, dnd_end_time FROM statuses WHERE user_id = ANY($1)',
    [userIds],
  );
  const byId = new Map(rows.map((r) => [r.user_id, r]));
  return userIds.map((id) => {
    const row = byId.get(id);
    return row
      ? { ...row }
      : { user_id: id, status: 'offline', manual: false, last_activity_at: 0, dnd_end_time: 0 };
  });
}

/**
 * Upserts a status; publishes status_change only when it changed. As in Mattermost, an automatic
 * update (manual = false) never overrides a status the user set by hand.
 */
export async function setStatus(
  s: Services,
  userId: string,
  status: StatusValue,
  manual: boolean,
  dndEndTime = 0,
): Promise<void> {
  const now = Date.now();
  const { rows } = await s.db.write<{ changed: boolean }>(
    'StatusStore.SaveOrUpdate',
    `WITH prev AS (SELECT status FROM statuses WHERE user_id = $1)
     INSERT INTO statuses (user_id, status, manual, last_activity_at, dnd_end_time) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (user_id) DO UPDATE SET status = EXCLUDED.status, manual = EXCLUDED.manual,
       last_activity_at = EXCLUDED.last_activity_at, dnd_end_time = EXCLUDED.dnd_end_time
       WHERE EXCLUDED.manual OR NOT statuses.manual
     RETURNING (SELECT status FROM prev) IS DISTINCT FROM $2 AS changed`,
    [userId, status, manual, now, dndEndTime],
  );
  if (rows[0]?.changed) {
    s.events.publish({
      event: 'status_change',
      data: { status, user_id: userId },
      broadcast: broadcastTo({ user_id: userId }),
    });
  }
}

/** Every user not offline, as the `get_statuses` WebSocket action returns them. */
export async function allOnlineStatuses(db: Database): Promise<Record<string, string>> {
  const { rows } = await db.read<{ user_id: string; status: string }>(
    'StatusStore.GetAllOnline',
    "SELECT user_id, status FROM statuses WHERE status <> 'offline'",
  );
  return Object.fromEntries(rows.map((r) => [r.user_id, r.status]));
}
