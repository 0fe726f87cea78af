import { closeSync, openSync, writeSync } from 'node:fs';
import { ENDPOINT_GROUPS, type EndpointGroup, groupRequestsMetric } from '../mattermost/endpoint-group.js';
import { METRIC } from '../metrics/api.js';
import { DERIVED_METRIC } from '../metrics/catalogue.js';
import type { Tick, TickListener } from '../metrics/heartbeat.js';
import type { IntervalSnapshot } from '../metrics/interval.js';

// timeseries.ndjson: one JSON line per second of the run (`type: "interval"`), interleaved with
// event lines (`type: "fault"`, …) that other parts append. Each line is written with one
// synchronous write as it is produced: nothing is buffered in the process, so a crash loses at
// most the line being built, and a second's line costs microseconds on the event loop.

/** One second of the run. Percentiles are null when the interval had no samples. */
export interface IntervalLine {
  type: 'interval';
  /** End of the interval, ISO 8601. */
  t: string;
  /** Seconds since the start of the load, at the end of the interval. */
  elapsedS: number;
  /** Length of the interval (1 s unless the event loop stalled). */
  intervalS: number;
  reqRate: number;
  /** Share of failed HTTP requests (http_req_failed); 0 without requests. */
  errorRate: number;
  /** Share of HTTP responses with 5xx. */
  http5xxRate: number;
  timeouts: number;
  httpP50Ms: number | null;
  httpP95Ms: number | null;
  httpP99Ms: number | null;
  actionP50Ms: number | null;
  actionP95Ms: number | null;
  actionP99Ms: number | null;
  vus: number;
  wsSessions: number;
  deliveryP50Ms: number | null;
  deliveryP99Ms: number | null;
  iterations: number;
  droppedIterations: number;
  eventLoopDelayP99Ms: number | null;
  cpu: number | null;
  /** Requests per second by endpoint group (login, resync…); absent without user-model requests. */
  groups?: Partial<Record<EndpointGroup, number>>;
  /** WebSocket reconnects and resyncs (clients that reloaded) in this second. */
  wsReconnects?: number;
  wsResyncs?: number;
  /** Calls runs only (absent otherwise): participants with media, audio packets received… */
  calls?: CallsIntervalFields;
}

export interface CallsIntervalFields {
  participants: number;
  audioPackets: number;
  mosP50: number | null;
  lossP95: number | null;
  jitterP95Ms: number | null;
  rttP50Ms: number | null;
  /** `reconnect`s sent and sessions rejoined in this second (WebSocket drops). */
  reconnects: number;
  rejoins: number;
}

/** Builds the line for one interval (pure; the writer adds nothing but the newline). */
export function intervalLine(interval: IntervalSnapshot, elapsedMs: number): IntervalLine {
  const durationS = interval.durationS;
  const count = (name: string) => {
    const sink = interval.sink(name);
    return sink?.type === 'counter' ? sink.count : 0;
  };
  const rate = (name: string) => {
    const sink = interval.sink(name);
    return sink?.type === 'rate' ? round(sink.rate, 6) : 0;
  };
  const pct = (name: string, p: number) => {
    const sink = interval.sink(name);
    return sink?.type === 'trend' && sink.count > 0 ? round(sink.percentile(p), 3) : null;
  };
  const gauge = (name: string) => {
    const sink = interval.sink(name);
    return sink?.type === 'gauge' && sink.updated !== 0 ? sink.value : null;
  };
  const groups: Partial<Record<EndpointGroup, number>> = {};
  let grouped = false;
  for (const group of ENDPOINT_GROUPS) {
    if (interval.sink(groupRequestsMetric(group)) === undefined) continue;
    grouped = true;
    groups[group] = durationS > 0 ? round(count(groupRequestsMetric(group)) / durationS, 3) : 0;
  }
  return {
    type: 'interval',
    t: new Date(interval.endedAt).toISOString(),
    elapsedS: round(elapsedMs / 1000, 3),
    intervalS: round(durationS, 3),
    reqRate: durationS > 0 ? round(count(METRIC.httpReqs) / durationS, 3) : 0,
    errorRate: rate(METRIC.httpReqFailed),
    http5xxRate: rate(DERIVED_METRIC.httpReq5xx),
    timeouts: count(METRIC.timeouts),
    httpP50Ms: pct(METRIC.httpReqDuration, 50),
    httpP95Ms: pct(METRIC.httpReqDuration, 95),
    httpP99Ms: pct(METRIC.httpReqDuration, 99),
    actionP50Ms: pct(METRIC.actionDuration, 50),
    actionP95Ms: pct(METRIC.actionDuration, 95),
    actionP99Ms: pct(METRIC.actionDuration, 99),
    vus: gauge(METRIC.vus) ?? 0,
    wsSessions: gauge(METRIC.wsSessions) ?? 0,
    deliveryP50Ms: pct(METRIC.deliveryLatency, 50),
    deliveryP99Ms: pct(METRIC.deliveryLatency, 99),
    iterations: count(METRIC.iterations),
    droppedIterations: count(METRIC.droppedIterations),
    eventLoopDelayP99Ms: pct(METRIC.harnessEventLoopDelay, 99),
    cpu: gauge(METRIC.harnessCpu) === null ? null : round(gauge(METRIC.harnessCpu)!, 3),
    ...(grouped && { groups, wsReconnects: count(METRIC.wsReconnects), wsResyncs: count(METRIC.wsResyncs) }),
    ...(interval.sink(METRIC.callsParticipants) !== undefined && {
      calls: {
        participants: gauge(METRIC.callsParticipants) ?? 0,
        audioPackets: count(METRIC.callsAudioPackets),
        mosP50: pct(METRIC.callsMos, 50),
        lossP95: pct(METRIC.callsPacketLoss, 95),
        jitterP95Ms: pct(METRIC.callsJitter, 95),
        rttP50Ms: pct(METRIC.callsRtt, 50),
        reconnects: count(METRIC.callsReconnects),
        rejoins: count(METRIC.callsRejoins),
      },
    }),
  };
}

export interface TimeseriesWriterOptions {
  /** performance.now() at the start of the load, for events' `elapsedS`. Default: when opened. */
  startedAt?: number;
}

export class TimeseriesWriter {
  private fd: number | undefined;
  private readonly startedAt: number;

  /** Creates (or truncates) the file. */
  constructor(
    readonly path: string,
    options: TimeseriesWriterOptions = {},
  ) {
    this.fd = openSync(path, 'w');
    this.startedAt = options.startedAt ?? performance.now();
  }

  writeInterval(interval: IntervalSnapshot, elapsedMs: number): void {
    this.writeLine(intervalLine(interval, elapsedMs));
  }

  /**
   * Appends an event line as given (`{type: 'fault', …}`), with `t` and `elapsedS` filled in
   * when the event has none. `type` is required so readers can tell lines apart.
   */
  writeEvent(event: { type: string } & Record<string, unknown>): void {
    this.writeLine({
      t: new Date().toISOString(),
      elapsedS: round((performance.now() - this.startedAt) / 1000, 3),
      ...event,
    });
  }

  /** For the heartbeat: one line per tick. */
  listener(): TickListener {
    return (tick: Tick) => this.writeInterval(tick.interval, tick.elapsedMs);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private writeLine(value: unknown): void {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
