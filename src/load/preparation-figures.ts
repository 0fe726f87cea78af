import { METRIC } from '../metrics/api.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { Summary } from '../summary/summary-schema.js';

// Before the load starts every VU logs in and does the web app's first load — a burst of heavy
// requests that counts in the whole-run metrics (the headline p99) but precedes the time series
// and its charts. Its figures are taken the moment the load starts, so a report can show the
// preparation on its own and a reader can reconcile the headline with the charts.

/** http_req_* as they stand when the load starts: everything so far was preparation. */
export function preparationFigures(
  registry: MetricsRegistry,
  durationMs: number,
): NonNullable<Summary['preparation']> {
  const metrics = registry.snapshot();
  const reqs = metrics[METRIC.httpReqs];
  const duration = metrics[METRIC.httpReqDuration];
  const failed = metrics[METRIC.httpReqFailed];
  const requests = reqs?.type === 'counter' ? reqs.count : 0;
  return {
    durationS: Math.round(durationMs) / 1000,
    requests,
    failedRequests: failed?.type === 'rate' ? failed.passes : 0,
    latency:
      duration?.type === 'trend'
        ? { p50: duration.med, p95: duration.p95, p99: duration.p99, max: duration.max }
        : { p50: 0, p95: 0, p99: 0, max: 0 },
  };
}
