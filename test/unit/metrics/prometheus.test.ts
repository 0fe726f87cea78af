import { describe, expect, test } from 'vitest';
import { METRIC } from '../../../src/metrics/api.js';
import {
  parseListenAddress,
  prometheusRegistry,
  startPrometheusEndpoint,
} from '../../../src/metrics/prometheus.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';

function sampleRun(): MetricsRegistry {
  const r = new MetricsRegistry();
  const reqs = r.counter(METRIC.httpReqs);
  const duration = r.trend(METRIC.httpReqDuration);
  for (let i = 1; i <= 100; i++) {
    const status = i % 50 === 0 ? '500' : '200';
    reqs.add(1, { action: 'create_post', method: 'POST', status });
    duration.add(i, { action: 'create_post', method: 'POST', status });
  }
  r.trend(METRIC.actionDuration).add(250, { action: 'create_post' });
  r.gauge(METRIC.vus).set(42);
  r.gauge(METRIC.wsSessions).set(40);
  r.rate(METRIC.httpReqFailed).add(true, { action: 'create_post' });
  return r;
}

describe('Prometheus exposition', () => {
  test('k6-like names, totals from the registry, quantiles from the HDR histograms', async () => {
    const text = await prometheusRegistry(sampleRun()).metrics();
    expect(text).toContain('# TYPE mmdrill_http_reqs_total counter');
    expect(text).toContain('mmdrill_http_reqs_total{status="200",action="create_post",method="POST"} 98');
    expect(text).toContain('mmdrill_http_reqs_total{status="500",action="create_post",method="POST"} 2');
    expect(text).toContain('mmdrill_http_req_5xx_total{action="create_post"} 2');
    expect(text).toContain('mmdrill_http_req_failed_total{action="create_post"} 1');
    expect(text).toContain('# TYPE mmdrill_http_req_duration_seconds summary');
    expect(text).toMatch(/mmdrill_http_req_duration_seconds\{quantile="0.99"\} 0\.099\d*/);
    expect(text).toContain('mmdrill_http_req_duration_seconds_sum 5.05');
    expect(text).toContain('mmdrill_http_req_duration_seconds_count 100');
    expect(text).toContain('mmdrill_action_duration_seconds{action="create_post",quantile="0.5"} 0.25');
    expect(text).toContain('mmdrill_vus 42');
    expect(text).toContain('mmdrill_ws_sessions 40');
    expect(text).toContain('mmdrill_process_resident_memory_bytes');
  });

  test('scrapes reflect new samples', async () => {
    const r = sampleRun();
    const prom = prometheusRegistry(r);
    await prom.metrics();
    r.counter(METRIC.httpReqs).add(5, { action: 'create_post', method: 'POST', status: '200' });
    expect(await prom.metrics()).toContain(
      'mmdrill_http_reqs_total{status="200",action="create_post",method="POST"} 103',
    );
  });

  test('served on GET /metrics', async () => {
    const endpoint = await startPrometheusEndpoint(sampleRun(), { host: '127.0.0.1', port: 0 });
    try {
      expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await fetch(endpoint.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('mmdrill_vus 42');
      expect((await fetch(endpoint.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await endpoint.close();
    }
  });

  test('parseListenAddress', () => {
    expect(parseListenAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    for (const bad of ['', 'host', '127.0.0.1:', '127.0.0.1:70000', 'http://x:1'])
      expect(() => parseListenAddress(bad)).toThrow('--prometheus: expected HOST:PORT');
  });
});
