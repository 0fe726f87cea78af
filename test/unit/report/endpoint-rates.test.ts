import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';
import { endpointRates } from '../../../src/report/endpoint-rates.js';

// The per-user-hour table is compared row by row with load-test-ng's derivation: a request the
// harness makes for itself (login burst, delivery audit) in a row would read as a heavier user.

function registryWith(
  requests: { action: string; method: string; name: string; n: number }[],
): MetricsRegistry {
  const registry = new MetricsRegistry();
  registry.counter(METRIC.userSeconds).add(7200);
  const reqs = registry.counter(METRIC.httpReqs);
  for (const r of requests)
    reqs.add(r.n, { action: r.action, method: r.method, name: r.name, status: '200' });
  return registry;
}

describe('requests per user-hour', () => {
  const posts = '/api/v4/channels/{id}/posts';

  test('a client action counts; login and the delivery audit do not, the audit is totalled', () => {
    const rates = endpointRates(
      registryWith([
        { action: 'switch_channel', method: 'GET', name: posts, n: 60 },
        { action: 'scroll_channel', method: 'GET', name: posts, n: 10 },
        { action: 'login', method: 'GET', name: posts, n: 500 },
        { action: 'refetch', method: 'GET', name: posts, n: 40 },
        { action: 'resync', method: 'GET', name: posts, n: 4 },
      ]),
    );
    expect(rates?.userHours).toBe(2);
    expect(rates?.auditRequests).toBe(40);
    // 60 + 10 + 4 requests over 2 user-hours; with the audit it would read 57 (+54 %).
    expect(rates?.endpoints).toEqual([{ method: 'GET', endpoint: posts, requests: 74, perUserHour: 37 }]);
  });

  test('an endpoint only the audit called has no row', () => {
    const rates = endpointRates(
      registryWith([
        { action: 'refetch', method: 'GET', name: posts, n: 8 },
        { action: 'create_post', method: 'POST', name: '/api/v4/posts', n: 6 },
      ]),
    );
    expect(rates?.endpoints.map((e) => e.endpoint)).toEqual(['/api/v4/posts']);
    expect(rates?.auditRequests).toBe(8);
  });

  test('no logged-in user time, no table', () => {
    const registry = new MetricsRegistry();
    registry.counter(METRIC.httpReqs).add(3, { action: 'refetch', method: 'GET', name: posts });
    expect(endpointRates(registry)).toBeUndefined();
  });
});
