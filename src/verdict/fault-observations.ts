import { METRIC } from '../metrics/api.js';
import type { Tick, TickListener } from '../metrics/heartbeat.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
import { type LatencySketch, percentileOf, sketchOfTrend } from './fault-latency-sketch.js';

// What the users experienced, second by second, kept for the fault verdicts: the heartbeat hands
// every listener the last second's aggregates, and this keeps the few figures a verdict needs
// (a few hundred bytes a second: an hour is 3,600 entries, well under a few MB).

/** One heartbeat interval (normally one second) of the load. */
export interface SecondObservation {
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  /** Completed HTTP requests (samples of http_req_failed). */
  requests: number;
  /** Of which failed (http_req_failed true: status >= 400 or no answer). */
  errors: number;
  /** errors / requests; null without requests. */
  errorRate: number | null;
  /** p99 of http_req_duration in the second (ms); null without requests. */
  p99Ms: number | null;
  /** http_req_duration's distribution in the second, for percentiles over longer spans. */
  latency: LatencySketch | null;
  /** WebSocket reconnects completed in the second (mm_ws_reconnects, every kind). */
  wsReconnects: number;
  /** Their reconnect times (mm_ws_reconnect_time, ms). */
  wsReconnectTime: LatencySketch | null;
  /** Clients that resynced (reloaded: a new hello after lost events, mm_ws_resyncs) in the second. */
  wsResyncs?: number;
  /** Calls participants' media in the second; only when the run has calls. */
  calls?: CallsSecond;
}

/** One second of Calls: what the fault verdicts follow through a WebSocket cut. */
export interface CallsSecond {
  /** Participants with media connected (calls_participants, last value). */
  participants: number;
  /** Audio packets received by all listeners (calls_audio_packets_received). */
  audioPackets: number;
  reconnects: number;
  rejoins: number;
  /** Media quality in the second (null without stats polls): median MOS, p95 jitter (ms) and loss (%). */
  mosP50: number | null;
  jitterP95Ms: number | null;
  lossP95: number | null;
}

/** The observation of one interval snapshot. */
export function observeInterval(interval: IntervalSnapshot): SecondObservation {
  const failed = interval.sink(METRIC.httpReqFailed);
  const requests = failed?.type === 'rate' ? failed.count : 0;
  const errors = failed?.type === 'rate' ? failed.passes : 0;
  const duration = interval.sink(METRIC.httpReqDuration);
  const latency = duration?.type === 'trend' ? sketchOfTrend(duration) : null;
  const counted = (name: string) => {
    const sink = interval.sink(name);
    return sink?.type === 'counter' ? sink.count : 0;
  };
  const percentileOfTrend = (name: string, p: number) => {
    const sink = interval.sink(name);
    return sink?.type === 'trend' && sink.count > 0 ? sink.percentile(p) : null;
  };
  const participants = interval.sink(METRIC.callsParticipants);
  const reconnects = interval.sink(METRIC.wsReconnects);
  const reconnectTime = interval.sink(METRIC.wsReconnectTime);
  return {
    startedAt: interval.startedAt,
    endedAt: interval.endedAt,
    requests,
    errors,
    errorRate: requests > 0 ? Math.min(1, errors / requests) : null,
    p99Ms: percentileOf([latency], 99),
    latency,
    wsReconnects: reconnects?.type === 'counter' ? reconnects.count : 0,
    wsReconnectTime: reconnectTime?.type === 'trend' ? sketchOfTrend(reconnectTime) : null,
    wsResyncs: counted(METRIC.wsResyncs),
    ...(participants?.type === 'gauge' &&
      participants.updated !== 0 && {
        calls: {
          participants: participants.value,
          audioPackets: counted(METRIC.callsAudioPackets),
          reconnects: counted(METRIC.callsReconnects),
          rejoins: counted(METRIC.callsRejoins),
          mosP50: percentileOfTrend(METRIC.callsMos, 50),
          jitterP95Ms: percentileOfTrend(METRIC.callsJitter, 95),
          lossP95: percentileOfTrend(METRIC.callsPacketLoss, 95),
        },
      }),
  };
}

/**
 * Records every heartbeat interval of a run. Register `listener` with `driveScenarioLoad(options, {listeners})`;
 * read `observations()` once it has returned (the final, partial interval is in by then).
 */
export class PerSecondObserver {
  private readonly seconds: SecondObservation[] = [];

  readonly listener: TickListener = (tick: Tick) => {
    // An empty closing interval (stop() right after a beat) adds nothing.
    if (tick.final && tick.interval.endedAt <= tick.interval.startedAt) return;
    this.seconds.push(observeInterval(tick.interval));
  };

  observations(): readonly SecondObservation[] {
    return this.seconds;
  }
}
