import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, collectDefaultMetrics, Gauge, Registry, Summary } from 'prom-client';
import { UsageError } from '../common/exit-codes.js';
import { LOOPBACK } from '../common/loopback.js';
import { METRIC } from './api.js';
import { DERIVED_METRIC } from './catalogue.js';
import type { MetricsRegistry } from './registry.js';

// `--prometheus 127.0.0.1:PORT`: the harness's own metrics for a Prometheus scrape, read from
// the MetricsRegistry at scrape time (nothing recorded twice). Names follow k6's Prometheus
// output with an `mmdrill_` prefix; durations in seconds as Prometheus wants. Trends are
// summaries whose quantiles come from the run's HDR histograms (cumulative since the start, as
// k6's trend stats are); counters carry the registry's totals; gauges their last value.
// Node process metrics (memory, GC, event loop) come from prom-client's default collectors.

interface Exported {
  prom: string;
  metric: string;
  labels: readonly string[];
  help: string;
}

const COUNTERS: readonly Exported[] = [
  {
    prom: 'mmdrill_http_reqs_total',
    metric: METRIC.httpReqs,
    labels: ['status', 'action', 'method'],
    help: 'HTTP requests',
  },
  {
    prom: 'mmdrill_http_req_failed_total',
    metric: METRIC.httpReqFailed,
    labels: ['action'],
    help: 'failed HTTP requests',
  },
  {
    prom: 'mmdrill_http_req_5xx_total',
    metric: DERIVED_METRIC.httpReq5xx,
    labels: ['action'],
    help: 'HTTP 5xx responses',
  },
  {
    prom: 'mmdrill_timeouts_total',
    metric: METRIC.timeouts,
    labels: [],
    help: 'requests that hit the client timeout',
  },
  { prom: 'mmdrill_iterations_total', metric: METRIC.iterations, labels: ['scenario'], help: 'iterations' },
  {
    prom: 'mmdrill_dropped_iterations_total',
    metric: METRIC.droppedIterations,
    labels: ['scenario'],
    help: 'iterations not started (no free VU)',
  },
  { prom: 'mmdrill_actions_total', metric: METRIC.actions, labels: ['action', 'ok'], help: 'user actions' },
  {
    prom: 'mmdrill_ws_connects_total',
    metric: METRIC.wsConnects,
    labels: ['result'],
    help: 'WebSocket connects',
  },
  {
    prom: 'mmdrill_ws_reconnects_total',
    metric: METRIC.wsReconnects,
    labels: ['kind'],
    help: 'WebSocket reconnects',
  },
  { prom: 'mmdrill_ws_seq_gaps_total', metric: METRIC.wsGaps, labels: [], help: 'WebSocket sequence gaps' },
  {
    prom: 'mmdrill_ws_events_total',
    metric: METRIC.wsEvents,
    labels: ['event'],
    help: 'WebSocket events received',
  },
  {
    prom: 'mmdrill_delivery_missed_total',
    metric: METRIC.deliveryMissed,
    labels: [],
    help: 'posts a member never received',
  },
];

const GAUGES: readonly Exported[] = [
  { prom: 'mmdrill_vus', metric: METRIC.vus, labels: [], help: 'active virtual users' },
  { prom: 'mmdrill_vus_max', metric: METRIC.vusMax, labels: [], help: 'allocated virtual users' },
  { prom: 'mmdrill_ws_sessions', metric: METRIC.wsSessions, labels: [], help: 'open WebSockets' },
  {
    prom: 'mmdrill_harness_cpu',
    metric: METRIC.harnessCpu,
    labels: [],
    help: 'harness CPU, share of one core',
  },
];

const SUMMARIES: readonly Exported[] = [
  {
    prom: 'mmdrill_http_req_duration_seconds',
    metric: METRIC.httpReqDuration,
    labels: [],
    help: 'HTTP request duration',
  },
  {
    prom: 'mmdrill_action_duration_seconds',
    metric: METRIC.actionDuration,
    labels: ['action'],
    help: 'user action duration',
  },
  {
    prom: 'mmdrill_delivery_latency_seconds',
    metric: METRIC.deliveryLatency,
    labels: [],
    help: 'post → posted event delivery latency',
  },
  {
    prom: 'mmdrill_ws_reconnect_time_seconds',
    metric: METRIC.wsReconnectTime,
    labels: [],
    help: 'WebSocket reconnect time',
  },
  {
    prom: 'mmdrill_harness_event_loop_delay_seconds',
    metric: METRIC.harnessEventLoopDelay,
    labels: [],
    help: "harness event-loop delay (each second's p99)",
  },
];

const QUANTILES = [0.5, 0.9, 0.95, 0.99];

/** A Prometheus summary whose values are read from an HDR trend at scrape time. */
class HdrSummary extends Summary<string> {
  constructor(
    private readonly spec: Exported,
    private readonly registry: MetricsRegistry,
    promRegistry: Registry,
  ) {
    super({
      name: spec.prom,
      help: spec.help,
      labelNames: spec.labels,
      percentiles: QUANTILES,
      registers: [promRegistry],
    });
  }

  override async get(): ReturnType<Summary<string>['get']> {
    const base = await super.get();
    const values: typeof base.values = [];
    for (const { tags, sink } of this.registry.groupBy(this.spec.metric, this.spec.labels)) {
      if (sink.type !== 'trend' || sink.count === 0) continue;
      for (const q of QUANTILES)
        values.push({ labels: { ...tags, quantile: q }, value: sink.percentile(q * 100) / 1000 });
      values.push({ metricName: `${this.spec.prom}_sum`, labels: tags, value: sink.sum / 1000 });
      values.push({ metricName: `${this.spec.prom}_count`, labels: tags, value: sink.count });
    }
    return { ...base, values };
  }
}

/** The prom-client registry mirroring `registry` (exported for tests and embedding). */
export function prometheusRegistry(registry: MetricsRegistry): Registry {
  const prom = new Registry();
  collectDefaultMetrics({ register: prom, prefix: 'mmdrill_' });
  for (const spec of COUNTERS) {
    new Counter({
      name: spec.prom,
      help: spec.help,
      labelNames: spec.labels,
      registers: [prom],
      collect() {
        this.reset();
        for (const { tags, sink } of registry.groupBy(spec.metric, spec.labels)) {
          const value = sink.type === 'counter' ? sink.count : sink.type === 'rate' ? sink.passes : 0;
          this.inc(tags, value);
        }
      },
    });
  }
  for (const spec of GAUGES) {
    new Gauge({
      name: spec.prom,
      help: spec.help,
      labelNames: spec.labels,
      registers: [prom],
      collect() {
        this.reset();
        for (const { tags, sink } of registry.groupBy(spec.metric, spec.labels)) {
          if (sink.type === 'gauge' && sink.updated !== 0) this.set(tags, sink.value);
        }
      },
    });
  }
  for (const spec of SUMMARIES) new HdrSummary(spec, registry, prom);
  return prom;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`, or a bare port (on 127.0.0.1). */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)?:)?(\d{1,5})$/.exec(text.trim());
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || port > 65535)
    throw new UsageError(`--prometheus: expected HOST:PORT such as 127.0.0.1:9464, got "${text}"`);
  const host = match[1] === undefined ? LOOPBACK : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

export interface PrometheusEndpoint {
  /** http://host:port/metrics */
  url: string;
  close(): Promise<void>;
}

/** Serves GET /metrics on `address` until close(). */
export async function startPrometheusEndpoint(
  registry: MetricsRegistry,
  address: ListenAddress,
): Promise<PrometheusEndpoint> {
  const prom = prometheusRegistry(registry);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('see /metrics\n');
      return;
    }
    prom.metrics().then(
      (text) => res.writeHead(200, { 'content-type': prom.contentType }).end(text),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
