import type { CallsPlugin } from './calls/plugin.js';
import type { DoubleConfig } from './config.js';
import type { ObjectStore } from './files/object-store.js';
import type { CapacityGate } from './http/capacity-gate.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { Logger } from './log.js';
import type { DoubleMetrics } from './metrics.js';
import type { WsEvent } from './model/types.js';
import type { Database } from './store/db.js';
import type { SessionStore } from './store/sessions.js';

/**
 * Publishes a WebSocket event: delivered to this node's connections at once and sent to the
 * other nodes through PostgreSQL, which deliver it locally without forwarding it again.
 */
export interface EventPublisher {
  publish(event: WsEvent): void;
}

/** Everything a handler may use; built once per node in node.ts. */
export interface Services {
  config: DoubleConfig;
  db: Database;
  files: ObjectStore | null;
  sessions: SessionStore;
  events: EventPublisher;
  metrics: DoubleMetrics;
  rateLimiter: RateLimiter | null;
  capacityGate: CapacityGate | null;
  /** The Calls plugin, when the node links to an rtcd double. */
  calls: CallsPlugin | null;
  log: Logger;
}

/** A broadcast with Mattermost's empty defaults filled in. */
export function broadcastTo(target: Partial<WsEvent['broadcast']>): WsEvent['broadcast'] {
  return {
    omit_users: null,
    user_id: '',
    channel_id: '',
    team_id: '',
    connection_id: '',
    omit_connection_id: '',
    ...target,
  };
}
