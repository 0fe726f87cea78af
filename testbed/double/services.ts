import type { CallsPlugin } from './calls/plugin.js';
import type { DoubleConfig } from './config.js';
import type { ObjectStore } from './files/object-store.js';
import type { CapacityGate } from './http/capacity-gate.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { LinkPreviewer } from './link-previews.js';
import type { Logger } from './log.js';
import type { DoubleMetrics } from './metrics.js';
import type { ConfigStore } from './mm-config/store.js';
import type { Database } from './store/db.js';
import type { SessionStore } from './store/sessions.js';
import type { EventPublisher } from './ws/broadcast.js';

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
  /** Link previews (--link-previews), or null. */
  linkPreviews: LinkPreviewer | null;
  log: Logger;
  /** The Mattermost configuration (GET/PUT /api/v4/config); decides e.g. push notifications. */
  mmConfig: ConfigStore;
}
