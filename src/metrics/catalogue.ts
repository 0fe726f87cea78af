import { METRIC } from './api.js';
import type { MetricType } from './sinks.js';

// The type of every metric mmdrill records, so thresholds can be checked before the run (a typo
// in a metric name, `p(99)` on a counter), and the rates the registry derives by itself.

/**
 * Rates the registry computes from what the HTTP layer already records, so nothing extra has to
 * be recorded per request (and nothing can be forgotten):
 * - `http_req_5xx`: true for each `http_reqs` sample whose `status` tag is 5xx. Same tags as
 *   `http_reqs` minus `status`, so `http_req_5xx{action:create_post}` works.
 * - `mm_timeout_rate`: `mm_timeouts` count / `http_reqs` count, untagged only (the two counters
 *   need not carry the same tags). If timed-out requests are not counted in `http_reqs`, the
 *   denominator misses them and the rate errs high, which is the safe side for a limit.
 */
export const DERIVED_METRIC = {
  httpReq5xx: 'http_req_5xx',
  timeoutRate: 'mm_timeout_rate',
} as const;

export interface MetricInfo {
  type: MetricType;
  description: string;
  /** False for metrics that exist untagged only (a tag filter on them would silently match nothing). */
  tagged: boolean;
}

export const METRIC_CATALOGUE: Readonly<Record<string, MetricInfo>> = {
  [METRIC.httpReqs]: { type: 'counter', tagged: true, description: 'HTTP requests' },
  [METRIC.httpReqDuration]: { type: 'trend', tagged: true, description: 'HTTP request duration (ms)' },
  [METRIC.httpReqFailed]: { type: 'rate', tagged: true, description: 'share of failed HTTP requests' },
  [METRIC.iterations]: { type: 'counter', tagged: true, description: 'iterations' },
  [METRIC.iterationDuration]: { type: 'trend', tagged: true, description: 'iteration duration (ms)' },
  [METRIC.droppedIterations]: { type: 'counter', tagged: true, description: 'iterations not started' },
  [METRIC.vus]: { type: 'gauge', tagged: true, description: 'active virtual users' },
  [METRIC.vusMax]: { type: 'gauge', tagged: true, description: 'allocated virtual users' },
  [METRIC.actionDuration]: { type: 'trend', tagged: true, description: 'user action duration (ms)' },
  [METRIC.searchDuration]: {
    type: 'trend',
    tagged: true,
    description: 'post search request duration by query band (ms)',
  },
  [METRIC.searchResults]: {
    type: 'trend',
    tagged: true,
    description: 'posts a post search returned, by band',
  },
  [METRIC.actions]: { type: 'counter', tagged: true, description: 'user actions' },
  [METRIC.timeouts]: { type: 'counter', tagged: true, description: 'requests that hit the client timeout' },
  [METRIC.wsSessions]: { type: 'gauge', tagged: true, description: 'open WebSockets' },
  [METRIC.wsConnects]: { type: 'counter', tagged: true, description: 'WebSocket connects' },
  [METRIC.wsReconnects]: { type: 'counter', tagged: true, description: 'WebSocket reconnects' },
  [METRIC.wsReconnectTime]: { type: 'trend', tagged: true, description: 'WebSocket reconnect time (ms)' },
  [METRIC.wsResyncs]: { type: 'counter', tagged: true, description: 'clients that resynced (reloaded)' },
  [METRIC.userSeconds]: { type: 'counter', tagged: true, description: 'logged-in user time (s)' },
  [METRIC.wsGaps]: { type: 'counter', tagged: true, description: 'WebSocket sequence gaps' },
  [METRIC.wsEvents]: { type: 'counter', tagged: true, description: 'WebSocket events received' },
  [METRIC.deliveryLatency]: { type: 'trend', tagged: true, description: 'post → posted event latency (ms)' },
  [METRIC.deliveryMissed]: { type: 'counter', tagged: true, description: 'posts a member never received' },
  [METRIC.callsJoinTime]: { type: 'trend', tagged: true, description: 'Calls join → first audio (ms)' },
  [METRIC.callsJoinIceTime]: { type: 'trend', tagged: true, description: 'Calls join → ICE connected (ms)' },
  [METRIC.callsFailedJoins]: { type: 'counter', tagged: true, description: 'Calls joins that failed' },
  [METRIC.callsParticipants]: { type: 'gauge', tagged: true, description: 'Calls participants connected' },
  [METRIC.callsRtt]: { type: 'trend', tagged: true, description: 'Calls media round trip (ms)' },
  [METRIC.callsJitter]: { type: 'trend', tagged: true, description: 'Calls inbound audio jitter (ms)' },
  [METRIC.callsPacketLoss]: { type: 'trend', tagged: true, description: 'Calls inbound audio loss (%)' },
  [METRIC.callsBitrateIn]: { type: 'trend', tagged: true, description: 'Calls bitrate received (kbit/s)' },
  [METRIC.callsBitrateOut]: { type: 'trend', tagged: true, description: 'Calls bitrate sent (kbit/s)' },
  [METRIC.callsMos]: { type: 'trend', tagged: true, description: 'Calls estimated MOS (1..4.5)' },
  [METRIC.callsRenegotiations]: {
    type: 'counter',
    tagged: true,
    description: 'Calls server offers answered',
  },
  [METRIC.callsReconnects]: { type: 'counter', tagged: true, description: 'Calls signaling reconnects' },
  [METRIC.callsRejoins]: { type: 'counter', tagged: true, description: 'Calls sessions lost and rejoined' },
  [METRIC.callsAudioPackets]: {
    type: 'counter',
    tagged: true,
    description: 'Calls audio packets received per listener and speaker',
  },
  [METRIC.callsAudioHeard]: { type: 'counter', tagged: true, description: 'Calls non-silent audio frames' },
  [METRIC.callsScreenFrames]: { type: 'counter', tagged: true, description: 'Calls screen frames received' },
  [METRIC.harnessEventLoopDelay]: {
    type: 'trend',
    tagged: false,
    description: "the harness's event-loop delay p99 per second (ms)",
  },
  [METRIC.harnessCpu]: { type: 'gauge', tagged: false, description: "the harness's CPU (share of one core)" },
  [DERIVED_METRIC.httpReq5xx]: {
    type: 'rate',
    tagged: true,
    description: 'share of HTTP responses with 5xx',
  },
  [DERIVED_METRIC.timeoutRate]: {
    type: 'rate',
    tagged: false,
    description: 'client timeouts per HTTP request',
  },
};

export function metricInfo(name: string): MetricInfo | undefined {
  return Object.hasOwn(METRIC_CATALOGUE, name) ? METRIC_CATALOGUE[name] : undefined;
}
