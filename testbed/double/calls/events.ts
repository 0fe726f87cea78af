import type { CallState, SessionOutcome } from '../../rtcd/link-protocol.js';
import { broadcastTo, type EventPublisher } from '../ws/broadcast.js';

export const CALLS_PLUGIN_ID = 'com.mattermost.calls';
/** Prefix of the plugin's WebSocket action names and of its event names. */
export const CALLS_PREFIX = `custom_${CALLS_PLUGIN_ID}_`;

/**
 * The Calls plugin's WebSocket events, with the plugin's field names (mixed `user_id` / `userID`
 * spelling included). Channel broadcasts also carry `channelID`, as the plugin adds it.
 */
export class CallsEvents {
  constructor(private readonly events: EventPublisher) {}

  toConnection(connID: string, name: string, data: Record<string, unknown>): void {
    this.events.publish({
      event: CALLS_PREFIX + name,
      data,
      broadcast: broadcastTo({ connection_id: connID }),
    });
  }

  toUser(userID: string, name: string, data: Record<string, unknown>): void {
    this.events.publish({ event: CALLS_PREFIX + name, data, broadcast: broadcastTo({ user_id: userID }) });
  }

  toChannel(channelID: string, name: string, data: Record<string, unknown>): void {
    this.events.publish({
      event: CALLS_PREFIX + name,
      data: { ...data, channelID },
      broadcast: broadcastTo({ channel_id: channelID }),
    });
  }

  /** One event per participating user, as the plugin's `UserIDs` broadcast. */
  toParticipants(call: CallState, name: string, data: Record<string, unknown>): void {
    const users = new Set(call.sessions.map((s) => s.user_id));
    for (const userID of users) this.toUser(userID, name, { ...data, channelID: call.channel_id });
  }

  error(connID: string, message: string): void {
    this.toConnection(connID, 'error', { data: message, connID });
  }

  joined(connID: string, outcome: SessionOutcome): void {
    const { call } = outcome;
    if (outcome.started) {
      this.toChannel(call.channel_id, 'call_start', {
        id: call.id,
        start_at: call.start_at,
        thread_id: call.thread_id,
        post_id: call.post_id,
        owner_id: call.owner_id,
        host_id: call.host_id,
      });
    }
    this.toConnection(connID, 'join', { connID });
    this.toChannel(call.channel_id, 'user_joined', {
      user_id: outcome.userID,
      session_id: outcome.sessionID,
    });
    this.toUser(outcome.userID, 'call_state', {
      channel_id: call.channel_id,
      call: JSON.stringify(clientCallState(call)),
    });
  }

  left(outcome: SessionOutcome): void {
    const { call } = outcome;
    this.toChannel(call.channel_id, 'user_left', { user_id: outcome.userID, session_id: outcome.sessionID });
    if (outcome.ended) this.toChannel(call.channel_id, 'call_end', { callID: call.id });
    else if (outcome.newHostID) {
      this.toChannel(call.channel_id, 'call_host_changed', { hostID: outcome.newHostID, callID: call.id });
    }
  }
}

/** The plugin's CallStateClient (GET /{channel_id}, call_state events). */
export function clientCallState(call: CallState): Record<string, unknown> {
  return {
    id: call.id,
    start_at: call.start_at,
    users: call.sessions.map((s) => s.user_id),
    states: call.sessions,
    sessions: call.sessions,
    thread_id: call.thread_id,
    post_id: call.post_id,
    screen_sharing_id:
      call.sessions.find((s) => s.session_id === call.screen_sharing_session_id)?.user_id ?? '',
    screen_sharing_session_id: call.screen_sharing_session_id,
    owner_id: call.owner_id,
    host_id: call.host_id,
  };
}
