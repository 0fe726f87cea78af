import type { PeerConnectionConfig } from '@roamhq/wrtc';
import { newId } from '../double/model/ids.js';
import type { CallState, SessionOutcome, UserStateChange } from './link-protocol.js';
import { type InboundTrack, RtcSession, type SessionHooks } from './session.js';

/** A refusal the app node passes on to the client as a Calls `error` event. */
export class CallsError extends Error {}

interface Call {
  id: string;
  channelID: string;
  startAt: number;
  ownerID: string;
  hostID: string;
  threadID: string;
  screenSessionID: string;
  sessions: Map<string, RtcSession>;
}

export interface CallsOptions {
  iceAddress: string;
  peerConfig: PeerConnectionConfig;
  /** How long a session whose WebSocket closed waits for `reconnect` (the plugin's 10 s). */
  reconnectWindowMs: number;
  /** Signaling for a session's current connection. */
  signal(session: RtcSession, data: string): void;
  /** A session torn down by this process (window passed, peer failed). */
  closed(session: RtcSession, outcome: SessionOutcome, reason: string): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Calls and their media sessions, the SFU's state: which sessions are in which call, who hosts,
 * who shares the screen, and which received track is forwarded to whom.
 */
export class CallRegistry {
  private readonly calls = new Map<string, Call>();
  private readonly sessions = new Map<string, RtcSession>();
  private readonly byConn = new Map<string, RtcSession>();
  private readonly hooks: SessionHooks;

  constructor(private readonly options: CallsOptions) {
    this.hooks = {
      signal: (s, data) => options.signal(s, data),
      track: (s, inbound) => this.forwardToOthers(s, inbound),
      ready: (s) => this.forwardExisting(s),
      failed: (s) => this.tearDown(s, 'peer connection failed'),
      log: options.log,
    };
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get callCount(): number {
    return this.calls.size;
  }

  join(connID: string, userID: string, channelID: string, threadID: string, linkId: number): SessionOutcome {
    if (this.byConn.has(connID)) throw new CallsError('session already exists');
    let call = this.calls.get(channelID);
    const started = !call;
    if (!call) {
      call = {
        id: newId(),
        channelID,
        startAt: Date.now(),
        ownerID: userID,
        hostID: userID,
        threadID,
        screenSessionID: '',
        sessions: new Map(),
      };
      this.calls.set(channelID, call);
    }
    const session = new RtcSession(
      { sessionID: connID, userID, channelID, callID: call.id },
      connID,
      this.options.peerConfig,
      this.options.iceAddress,
      this.hooks,
    );
    session.linkId = linkId;
    call.sessions.set(connID, session);
    this.sessions.set(connID, session);
    this.byConn.set(connID, session);
    return { sessionID: connID, userID, call: callState(call), started };
  }

  reconnect(
    connID: string,
    userID: string,
    channelID: string,
    originalConnID: string,
    linkId: number,
  ): SessionOutcome {
    const call = this.calls.get(channelID);
    if (!call) throw new CallsError('no call ongoing');
    const session = call.sessions.get(originalConnID);
    if (!session || session.id.userID !== userID) throw new CallsError('session not found in call state');
    if (session.reconnectTimer) clearTimeout(session.reconnectTimer);
    session.reconnectTimer = null;
    if (this.byConn.get(session.connID) === session) this.byConn.delete(session.connID);
    session.connID = connID;
    session.linkId = linkId;
    this.byConn.set(connID, session);
    return { sessionID: session.sessionID, userID, call: callState(call) };
  }

  bySession(connID: string): RtcSession {
    const session = this.byConn.get(connID);
    if (!session) throw new CallsError('session not found');
    return session;
  }

  /** The client left: tear the session down now. */
  leave(connID: string): SessionOutcome | null {
    const session = this.byConn.get(connID);
    return session ? this.remove(session) : null;
  }

  /** The session's WebSocket closed: tear down unless `reconnect` arrives within the window. */
  wsClosed(connID: string): void {
    const session = this.byConn.get(connID);
    if (!session || session.reconnectTimer) return;
    session.reconnectTimer = setTimeout(
      () => this.tearDown(session, 'reconnect window passed'),
      this.options.reconnectWindowMs,
    );
    session.reconnectTimer.unref();
  }

  /**
   * An app node's link dropped (the node died or was cut off): its sessions' WebSockets are gone
   * with it, so each starts its reconnect window, as if its node had reported the close.
   */
  linkLost(linkId: number): void {
    for (const session of this.sessions.values())
      if (session.linkId === linkId) this.wsClosed(session.connID);
  }

  /** A node's new link still carries these connections: rebind them and stop their windows. */
  resume(connIDs: readonly string[], linkId: number): void {
    for (const connID of connIDs) {
      const session = this.byConn.get(connID);
      if (!session) continue;
      session.linkId = linkId;
      if (session.reconnectTimer) clearTimeout(session.reconnectTimer);
      session.reconnectTimer = null;
    }
  }

  userState(connID: string, change: UserStateChange, data: string): SessionOutcome {
    const session = this.bySession(connID);
    const call = this.callOf(session);
    switch (change) {
      case 'mute':
      case 'unmute':
        session.unmuted = change === 'unmute';
        break;
      case 'raise_hand':
      case 'unraise_hand':
        session.raisedHand = change === 'raise_hand' ? Date.now() : 0;
        break;
      case 'screen_on': {
        if (call.screenSessionID && call.screenSessionID !== session.sessionID) {
          throw new CallsError(
            `cannot start screen sharing, someone else is sharing already: connID=${call.screenSessionID}`,
          );
        }
        call.screenSessionID = session.sessionID;
        session.screenStreamID = screenStreamID(data);
        break;
      }
      case 'screen_off':
        if (call.screenSessionID !== session.sessionID) {
          throw new CallsError(
            `cannot stop screen sharing, someone else is sharing already: connID=${call.screenSessionID}`,
          );
        }
        call.screenSessionID = '';
        break;
    }
    return {
      sessionID: session.sessionID,
      userID: session.id.userID,
      call: callState(call),
      raisedHand: session.raisedHand,
    };
  }

  call(channelID: string): CallState | null {
    const call = this.calls.get(channelID);
    return call ? callState(call) : null;
  }

  allCalls(): CallState[] {
    return [...this.calls.values()].map(callState);
  }

  closeAll(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
    this.byConn.clear();
    this.calls.clear();
  }

  private callOf(session: RtcSession): Call {
    const call = this.calls.get(session.id.channelID);
    if (call?.sessions.has(session.sessionID)) return call;
    throw new CallsError('no call ongoing');
  }

  private tearDown(session: RtcSession, reason: string): void {
    if (session.closed) return;
    const outcome = this.remove(session);
    this.options.log('session torn down', { session: session.sessionID, reason });
    this.options.closed(session, outcome, reason);
  }

  private remove(session: RtcSession): SessionOutcome {
    session.close();
    this.sessions.delete(session.sessionID);
    if (this.byConn.get(session.connID) === session) this.byConn.delete(session.connID);
    const call = this.calls.get(session.id.channelID);
    const outcome: SessionOutcome = {
      sessionID: session.sessionID,
      userID: session.id.userID,
      call: call ? callState(call) : emptyCall(session),
    };
    if (!call) return outcome;
    call.sessions.delete(session.sessionID);
    if (call.screenSessionID === session.sessionID) call.screenSessionID = '';
    for (const other of call.sessions.values()) other.unforward(session);
    if (call.sessions.size === 0) {
      this.calls.delete(call.channelID);
      outcome.ended = true;
    } else if (![...call.sessions.values()].some((s) => s.id.userID === call.hostID)) {
      const next = [...call.sessions.values()].sort((a, b) => a.joinAt - b.joinAt)[0];
      if (next) {
        call.hostID = next.id.userID;
        outcome.newHostID = call.hostID;
      }
    }
    outcome.call = callState(call);
    return outcome;
  }

  private forwardToOthers(from: RtcSession, inbound: InboundTrack): void {
    const call = this.calls.get(from.id.channelID);
    if (!call) return;
    for (const other of call.sessions.values()) if (other !== from) other.forward(from, inbound);
  }

  /** A newly negotiated session receives every track the others already send. */
  private forwardExisting(session: RtcSession): void {
    const call = this.calls.get(session.id.channelID);
    if (!call) return;
    for (const other of call.sessions.values()) {
      if (other === session) continue;
      for (const inbound of other.inbound) session.forward(other, inbound);
    }
  }
}

function screenStreamID(data: string): string {
  try {
    const parsed = JSON.parse(data) as { screenStreamID?: unknown };
    return typeof parsed.screenStreamID === 'string' ? parsed.screenStreamID : '';
  } catch {
    return '';
  }
}

function callState(call: Call): CallState {
  return {
    id: call.id,
    channel_id: call.channelID,
    start_at: call.startAt,
    owner_id: call.ownerID,
    host_id: call.hostID,
    thread_id: call.threadID,
    post_id: '',
    screen_sharing_session_id: call.screenSessionID,
    sessions: [...call.sessions.values()].map((s) => ({
      session_id: s.sessionID,
      user_id: s.id.userID,
      unmuted: s.unmuted,
      raised_hand: s.raisedHand,
    })),
  };
}

function emptyCall(session: RtcSession): CallState {
  return {
    id: session.id.callID,
    channel_id: session.id.channelID,
    start_at: 0,
    owner_id: '',
    host_id: '',
    thread_id: '',
    post_id: '',
    screen_sharing_session_id: '',
    sessions: [],
  };
}
