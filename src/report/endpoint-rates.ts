import { METRIC } from '../metrics/api.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { Summary } from '../summary/summary-schema.js';
import { decimal, integer } from './format.js';
import { cell, type Table } from './table-model.js';

// Requests per user-hour by endpoint: what one simulated user costs the server, endpoint by
// endpoint, comparable with the figures derived from load-test-ng's source in docs/scenarios.md.
// Logged-in user time comes from `mm_user_seconds` (the user model adds its logged-in users every
// second); login and first-load requests are left out, as in that table (a short run would
// otherwise be dominated by its ramp-up). The delivery audit's own requests (`refetch`: a channel's
// posts fetched to settle deliveries not seen live, after a new hello and in the final pass) are
// the harness checking the server, not a client action load-test-ng makes: they leave the rows
// and are reported as one total, so the load they add stays visible.

export type EndpointRates = NonNullable<Summary['requestsPerUserHour']>;

const STARTUP_ACTION = 'login';
const AUDIT_ACTION = 'refetch';

export function endpointRates(registry: MetricsRegistry): EndpointRates | undefined {
  const userSeconds = registry.query({ name: METRIC.userSeconds, tags: {} });
  const seconds = userSeconds?.type === 'counter' ? userSeconds.count : 0;
  if (seconds <= 0) return undefined;
  const userHours = seconds / 3600;
  const counts = new Map<string, { method: string; endpoint: string; requests: number }>();
  let auditRequests = 0;
  for (const { tags, sink } of registry.groupBy(METRIC.httpReqs, ['method', 'name', 'action'])) {
    if (sink.type !== 'counter' || tags.action === STARTUP_ACTION) continue;
    if (tags.action === AUDIT_ACTION) {
      auditRequests += sink.count;
      continue;
    }
    const key = `${tags.method ?? ''} ${tags.name ?? ''}`;
    const entry = counts.get(key) ?? { method: tags.method ?? '', endpoint: tags.name ?? '', requests: 0 };
    entry.requests += sink.count;
    counts.set(key, entry);
  }
  const endpoints = [...counts.values()]
    .map((e) => ({ ...e, perUserHour: Math.round((e.requests / userHours) * 100) / 100 }))
    .sort((a, b) => b.perUserHour - a.perUserHour || a.endpoint.localeCompare(b.endpoint));
  return { userHours: Math.round(userHours * 1000) / 1000, auditRequests, endpoints };
}

export function endpointRatesTable(summary: Summary): Table | undefined {
  const rates = summary.requestsPerUserHour;
  if (rates === undefined) return undefined;
  return {
    id: 'requests-per-user-hour',
    title: 'Requests per user-hour by endpoint',
    header: ['endpoint', 'requests', 'per user-hour'],
    rows: rates.endpoints.map((e) => [
      cell.code(`${e.method} ${e.endpoint}`),
      cell.num(integer(e.requests)),
      cell.num(decimal(e.perUserHour, 2)),
    ]),
    note: `Over ${decimal(rates.userHours, 3)} user-hours of logged-in users; login and first-load requests left out, and the delivery audit's ${integer(rates.auditRequests)} refetch requests. Compare with docs/scenarios.md.`,
  };
}
