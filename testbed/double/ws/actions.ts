import { AppError } from '../http/errors.js';
import type { Services } from '../services.js';
import { allOnlineStatuses, getStatuses } from '../store/statuses.js';
import { broadcastTo } from './broadcast.js';
import type { WebConnection } from './connection.js';

export interface ActionContext {
  conn: WebConnection;
  services: Services;
  data: Record<string, unknown>;
}

/** Returns the reply's `data` (or nothing); throws AppError for a FAIL reply. */
export type ActionHandler = (ctx: ActionContext) => Promise<unknown> | unknown;

function stringField(data: Record<string, unknown>, field: string, required = true): string {
  const value = data[field];
  if (typeof value === 'string' && (value !== '' || !required)) return value;
  if (value === undefined && !required) return '';
  throw new AppError('api.websocket_handler.invalid_param.app_error', `Invalid ${field} parameter`, 400);
}

/**
 * Client → server actions on an authenticated connection, by name. Adding an action touches
 * this table only (Calls signaling registers its `custom_com.mattermost.calls_*` actions here).
 */
export const ACTIONS = new Map<string, ActionHandler>([
  [
    'ping',
    ({ services }) => ({
      text: 'pong',
      version: services.config.version,
      server_time: Date.now(),
      node_id: services.config.nodeId,
    }),
  ],
  [
    'user_typing',
    ({ conn, services, data }) => {
      const channelId = stringField(data, 'channel_id');
      const parentId = stringField(data, 'parent_id', false);
      if (!conn.channels.has(channelId)) {
        throw new AppError(
          'api.context.permissions.app_error',
          'You do not have the appropriate permissions.',
          403,
        );
      }
      services.events.publish({
        event: 'typing',
        data: { parent_id: parentId, user_id: conn.userId },
        broadcast: broadcastTo({ channel_id: channelId, omit_users: { [conn.userId]: true } }),
      });
      return undefined;
    },
  ],
  ['get_statuses', ({ services }) => allOnlineStatuses(services.db)],
  [
    'get_statuses_by_ids',
    async ({ services, data }) => {
      const ids = data.user_ids;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        throw new AppError(
          'api.websocket_handler.invalid_param.app_error',
          'Invalid user_ids parameter',
          400,
        );
      }
      const statuses = await getStatuses(services.db, ids as string[]);
      return Object.fromEntries(statuses.map((s) => [s.user_id, s.status]));
    },
  ],
  ['presence', () => undefined],
  ['posted_ack', () => undefined],
]);
