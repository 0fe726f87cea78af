// The internal link between app nodes of the double and the rtcd double: one WebSocket per app
// node (as the Calls plugin keeps one connection to each rtcd host). JSON messages, both ways.
// Requests carry an `id`; the rtcd double answers each with one `reply`.

export type UserStateChange = 'mute' | 'unmute' | 'screen_on' | 'screen_off' | 'raise_hand' | 'unraise_hand';

export type LinkRequest =
  | { op: 'join'; id: number; connID: string; userID: string; channelID: string; threadID: string }
  | {
      op: 'reconnect';
      id: number;
      connID: string;
      userID: string;
      channelID: string;
      originalConnID: string;
      prevConnID: string;
    }
  | { op: 'leave'; id: number; connID: string }
  | { op: 'sdp'; id: number; connID: string; data: string }
  | { op: 'ice'; id: number; connID: string; data: string }
  | { op: 'user_state'; id: number; connID: string; change: UserStateChange; data: string }
  /** The connection's WebSocket closed: starts the reconnect window of its session, if any. */
  | { op: 'ws_closed'; id: number; connID: string }
  /** A (re)opened link: the node still carries these connections' sessions. */
  | { op: 'resume'; id: number; connIDs: string[] }
  | { op: 'get_call'; id: number; channelID: string }
  | { op: 'get_calls'; id: number };

export interface SessionState {
  session_id: string;
  user_id: string;
  unmuted: boolean;
  raised_hand: number;
}

/** A call as the plugin's CallStateClient shows it. */
export interface CallState {
  id: string;
  channel_id: string;
  start_at: number;
  owner_id: string;
  host_id: string;
  thread_id: string;
  post_id: string;
  screen_sharing_session_id: string;
  sessions: SessionState[];
}

/** What a session change did to its call; the app node turns it into WebSocket events. */
export interface SessionOutcome {
  sessionID: string;
  userID: string;
  call: CallState;
  /** join: the call was created by this join. */
  started?: boolean;
  /** leave / teardown: the call ended with this session. */
  ended?: boolean;
  /** leave / teardown: the host left and this user is the new host. */
  newHostID?: string;
  /** user_state: the session's raised-hand timestamp after the change. */
  raisedHand?: number;
}

export type LinkMessage =
  | { op: 'reply'; id: number; ok: true; result: unknown }
  | { op: 'reply'; id: number; ok: false; error: string }
  /** WebRTC signaling for a session, addressed to its current connection. */
  | { op: 'signal'; connID: string; sessionID: string; data: string }
  /** A session torn down by the rtcd double itself (reconnect window passed, peer failed). */
  | { op: 'closed'; outcome: SessionOutcome; reason: string };
