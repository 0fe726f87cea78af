// The metrics contract every part of the load engine records through. Names and semantics follow
// k6 (trend, counter, rate, gauge; tags rendered as `name{tag:value}`), so thresholds, summaries
// and the k6 export speak the same language.

export type Tags = Readonly<Record<string, string>>;

/** Distribution of values (milliseconds for durations), kept in an HDR histogram. */
export interface Trend {
  add(value: number, tags?: Tags): void;
}

/** Monotonic count. */
export interface Counter {
  add(n?: number, tags?: Tags): void;
}

/** Share of true values (e.g. failed requests). */
export interface Rate {
  add(ok: boolean, tags?: Tags): void;
}

/** Last value (e.g. connected WebSockets, active VUs). */
export interface Gauge {
  set(value: number, tags?: Tags): void;
}

export interface Metrics {
  trend(name: string): Trend;
  counter(name: string): Counter;
  rate(name: string): Rate;
  gauge(name: string): Gauge;
}

/** Built-in metric names. k6's where k6 has one; `mm_*` for Mattermost-specific ones. */
export const METRIC = {
  // k6 built-ins
  httpReqs: 'http_reqs', // counter; tags: method, name (endpoint template), status, action
  httpReqDuration: 'http_req_duration', // trend ms, from the request's own start
  httpReqFailed: 'http_req_failed', // rate; true = failed (status >= 400 or network error)
  iterations: 'iterations', // counter; tags: scenario
  iterationDuration: 'iteration_duration', // trend ms; open model: from the intended start
  droppedIterations: 'dropped_iterations', // counter; tags: scenario
  vus: 'vus', // gauge
  vusMax: 'vus_max', // gauge
  // Mattermost user model
  actionDuration: 'mm_action_duration', // trend ms; tags: action; open model: from the intended start
  actions: 'mm_actions', // counter; tags: action, ok ("true"|"false")
  timeouts: 'mm_timeouts', // counter; requests that hit the client timeout (5 s by default)
  wsSessions: 'mm_ws_sessions', // gauge; WebSockets currently open
  wsConnects: 'mm_ws_connects', // counter; tags: result (hello|resumed|failed)
  wsReconnects: 'mm_ws_reconnects', // counter; tags: kind (resumed|new_hello)
  wsReconnectTime: 'mm_ws_reconnect_time', // trend ms; from the socket loss to the next hello/resume
  wsResyncs: 'mm_ws_resyncs', // counter; clients that reloaded: a new hello after lost events (resync burst)
  userSeconds: 'mm_user_seconds', // counter; seconds users of the user model were logged in (requests per user-hour)
  wsGaps: 'mm_ws_seq_gaps', // counter; seq gaps detected
  wsEvents: 'mm_ws_events', // counter; tags: event
  deliveryLatency: 'mm_delivery_latency', // trend ms; post sent → `posted` received by each online member
  searchDuration: 'mm_search_duration', // trend ms; tags: band (common|rare|phrase|hashtag|from|in|date); one post search request
  searchResults: 'mm_search_results', // trend; posts a post search returned; tags: band
  deliveryMissed: 'mm_delivery_missed', // counter; posts a member never received (live, replay or refetch)
  // Calls (tags: call = the call's label, c0, c1…; see docs/calls.md)
  callsJoinTime: 'calls_join_time', // trend ms; join sent → first remote audio received
  callsJoinIceTime: 'calls_join_ice_time', // trend ms; join sent → ICE connected
  callsFailedJoins: 'calls_failed_joins', // counter; tags: call, reason
  callsParticipants: 'calls_participants', // gauge; participants with media connected
  callsRtt: 'calls_rtt', // trend ms; per participant per stats poll
  callsJitter: 'calls_jitter', // trend ms; mean inbound audio jitter per poll
  callsPacketLoss: 'calls_packet_loss', // trend %; inbound audio lost / expected per poll
  callsBitrateIn: 'calls_bitrate_in', // trend kbit/s per participant per poll
  callsBitrateOut: 'calls_bitrate_out', // trend kbit/s per participant per poll
  callsMos: 'calls_mos', // trend 1..4.5; E-model estimate per participant per poll
  callsRenegotiations: 'calls_renegotiations', // counter; offers from the server answered
  callsReconnects: 'calls_reconnects', // counter; `reconnect` sent after a WebSocket drop
  callsRejoins: 'calls_rejoins', // counter; sessions lost and joined again
  callsAudioPackets: 'calls_audio_packets_received', // counter; tags: call, listener, speaker
  callsAudioHeard: 'calls_audio_frames_heard', // counter; non-silent 10 ms frames decoded; tags: call
  callsScreenFrames: 'calls_screen_frames_received', // counter; screen-share frames decoded; tags: call
  // the harness itself
  harnessEventLoopDelay: 'harness_event_loop_delay', // trend ms
  harnessCpu: 'harness_cpu', // gauge; share of one core used by the harness process (0..n)
} as const;
