import { inflateSync } from 'node:zlib';
import type { CallState, LinkMessage, SessionOutcome, UserStateChange } from '../../rtcd/link-protocol.js';
import type { Logger } from '../log.js';
import type { EventPublisher } from '../ws/broadcast.js';
import type { WebConnection } from '../ws/connection.js';
import { CALLS_PREFIX, CallsEvents } from './events.js';
import { RtcdError, RtcdLink } from './rtcd-link.js';

// The plugin's cap on an inflated SDP (sdpDataMaxSize).
const SDP_MAX_BYTES = 64 * 1024;

const USER_STATE_EVENTS: Record<UserStateChange, string> = {
  mute: 'user_muted',
  unmute: 'user_unmuted',
  screen_on: 'user_screen_on',
  screen_off: 'user_screen_off',
  raise_hand: 'user_raise_hand',
  unraise_hand: 'user_unraise_hand',
};

export interface IceServerConfig {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface CallsConfig {
  rtcdUrl: string;
  /** Advertised to clients by GET /config (TURN entries carry credentials). */
  iceServers: IceServerConfig[];
}

/**
 * The Calls plugin of one app node: turns `custom_com.mattermost.calls_*` actions into requests
 * to the rtcd double and the rtcd double's answers and pushes into Calls WebSocket events. Like
 * the plugin, it never replies to an action; refusals are `error` events or only logged.
 */
export class CallsPlugin {
  private readonly link: RtcdLink;
  private readonly events: CallsEvents;
  /** This node's connections that carry a call session: connection id → session id. */
  private readonly local = new Map<string, string>();

  constructor(
    readonly config: CallsConfig,
    nodeId: string,
    publisher: EventPublisher,
    private readonly log: Logger,
  ) {
    this.events = new CallsEvents(publisher);
    this.link = new RtcdLink(
      config.rtcdUrl,
      nodeId,
      (msg) => this.onPush(msg),
      () => {
        // After a lost link the rtcd double started these sessions' windows: they are still here.
        if (this.local.size > 0) this.link.send({ op: 'resume', connIDs: [...this.local.keys()] });
      },
      log,
    );
  }

  start(): void {
    this.link.start();
  }

  close(): Promise<void> {
    return this.link.close();
  }

  handles(action: string): boolean {
    return action.startsWith(CALLS_PREFIX);
  }

  async handleAction(conn: WebConnection, action: string, data: Record<string, unknown>): Promise<void> {
    const name = action.slice(CALLS_PREFIX.length);
    try {
      await this.dispatch(conn, name, data);
    } catch (err) {
      if (err instanceof RtcdError) {
        // As the plugin: join failures reach the client; other failures are only logged.
        if (name === 'join' || name === 'reconnect') this.events.error(conn.id, err.message);
        else this.log.warn('calls action refused', { action: name, error: err.message });
        return;
      }
      throw err;
    }
  }

  /** The connection's WebSocket closed: its session (if any) starts the reconnect window. */
  connectionClosed(connID: string): void {
    if (!this.local.delete(connID)) return;
    this.link.send({ op: 'ws_closed', connID });
  }

  callState(channelID: string): Promise<CallState | null> {
    return this.link.request<CallState | null>({ op: 'get_call', channelID });
  }

  allCalls(): Promise<CallState[]> {
    return this.link.request<CallState[]>({ op: 'get_calls' });
  }

  private async dispatch(conn: WebConnection, name: string, data: Record<string, unknown>): Promise<void> {
    const inCall = this.local.has(conn.id);
    switch (name) {
      case 'join': {
        const channelID = str(data.channelID);
        if (!channelID) return;
        if (!conn.channels.has(channelID)) throw new RtcdError('forbidden');
        const outcome = await this.link.request<SessionOutcome>({
          op: 'join',
          connID: conn.id,
          userID: conn.userId,
          channelID,
          threadID: str(data.threadID),
        });
        this.local.set(conn.id, outcome.sessionID);
        this.events.joined(conn.id, outcome);
        // The socket may have closed while the rtcd double answered: start the window now.
        if (!conn.active) this.connectionClosed(conn.id);
        return;
      }
      case 'reconnect': {
        const channelID = str(data.channelID);
        const originalConnID = str(data.originalConnID);
        const prevConnID = str(data.prevConnID);
        if (!channelID || !originalConnID || !prevConnID) return;
        if (!conn.channels.has(channelID)) throw new RtcdError('forbidden');
        const outcome = await this.link.request<SessionOutcome>({
          op: 'reconnect',
          connID: conn.id,
          userID: conn.userId,
          channelID,
          originalConnID,
          prevConnID,
        });
        this.local.set(conn.id, outcome.sessionID);
        if (!conn.active) this.connectionClosed(conn.id);
        return;
      }
      case 'leave': {
        this.local.delete(conn.id);
        const outcome = await this.link.request<SessionOutcome | null>({ op: 'leave', connID: conn.id });
        if (outcome) this.events.left(outcome);
        return;
      }
      case 'sdp': {
        const packed = data.data;
        if (!inCall || !(packed instanceof Uint8Array)) return;
        let text: string;
        try {
          text = inflateSync(packed, { maxOutputLength: SDP_MAX_BYTES }).toString('utf8');
        } catch (err) {
          this.log.warn('calls sdp dropped', { error: (err as Error).message });
          return;
        }
        this.link.send({ op: 'sdp', connID: conn.id, data: text });
        return;
      }
      case 'ice': {
        if (!inCall || typeof data.data !== 'string') return;
        this.link.send({ op: 'ice', connID: conn.id, data: data.data });
        return;
      }
      case 'mute':
      case 'unmute':
      case 'screen_on':
      case 'screen_off':
      case 'raise_hand':
      case 'unraise_hand': {
        if (!inCall) return;
        const change = name as UserStateChange;
        const outcome = await this.link.request<SessionOutcome>({
          op: 'user_state',
          connID: conn.id,
          change,
          data: str(data.data),
        });
        const payload: Record<string, unknown> = { userID: outcome.userID, session_id: outcome.sessionID };
        if (change === 'raise_hand' || change === 'unraise_hand')
          payload.raised_hand = outcome.raisedHand ?? 0;
        this.events.toParticipants(outcome.call, USER_STATE_EVENTS[change], payload);
        return;
      }
      case 'react': {
        const sessionID = this.local.get(conn.id);
        if (!sessionID || typeof data.data !== 'string') return;
        let emoji: unknown;
        try {
          emoji = JSON.parse(data.data);
        } catch {
          return;
        }
        const calls = await this.allCalls();
        const call = calls.find((c) => c.sessions.some((s) => s.session_id === sessionID));
        if (!call) return;
        this.events.toParticipants(call, 'user_reacted', {
          user_id: conn.userId,
          session_id: sessionID,
          emoji,
          timestamp: Date.now(),
        });
        return;
      }
      default:
        return; // unknown plugin actions are dropped, as Mattermost does
    }
  }

  private onPush(msg: Exclude<LinkMessage, { op: 'reply' }>): void {
    if (msg.op === 'signal') {
      this.events.toConnection(msg.connID, 'signal', { data: msg.data, connID: msg.sessionID });
      return;
    }
    for (const [connID, sessionID] of this.local) {
      if (sessionID === msg.outcome.sessionID) this.local.delete(connID);
    }
    this.events.left(msg.outcome);
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
