// How a handler sends a WebSocket event: the publisher every node has, and a broadcast with
// Mattermost's defaults. Apart from services.ts because the Calls plugin publishes events too and
// services.ts names the plugin: one file for both would tie them in a circle.
import type { WsEvent } from '../model/types.js';

/**
 * Publishes a WebSocket event: delivered to this node's connections at once and sent to the
 * other nodes through PostgreSQL, which deliver it locally without forwarding it again.
 */
export interface EventPublisher {
  publish(event: WsEvent): void;
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
