import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, instrumentClient, RequestTimeoutError, statusOf } from '../../../src/mattermost/http.js';
import { ClientError, newClient } from '../../../src/mattermost/official-client.js';
import { MetricsRegistry } from '../../../src/metrics/registry.js';

// The HTTP layer: every Client4 request timed and tagged with its endpoint template, the real
// status of errors (also non-JSON ones), and the 5 s client timeout counted as a timeout.

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path.startsWith('/api/v4/system/ping')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"OK"}');
    } else if (path.startsWith('/api/v4/posts/')) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"id":"app.post.get.app_error","message":"Unable to get the post.","status_code":404}');
    } else if (path.split('?')[0] === '/api/v4/users/me') {
      // A proxy's error page: not JSON, no status_code in the body.
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
    } else {
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('[]');
      }, 1_000);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function count(metrics: MetricsRegistry, key: string): number {
  const s = metrics.snapshot()[key];
  return s && 'count' in s ? s.count : 0;
}

describe('instrumented Client4', () => {
  it('records successes and failures with method, endpoint template, status and action', async () => {
    const metrics = new MetricsRegistry();
    const client = instrumentClient(newClient(url), { metrics });
    await inScope({ action: 'ping' }, () => client.ping(false));
    const err = await inScope({ action: 'click_permalink' }, () =>
      client.getPost('k3m9x1p2q4r5s6t7u8v9w0y1z2'),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(statusOf(err)).toBe(404);
    expect((err as InstanceType<typeof ClientError>).server_error_id).toBe('app.post.get.app_error');
    const bad = await client.getMe().catch((e: unknown) => e);
    expect(statusOf(bad)).toBe(502);

    expect(count(metrics, 'http_reqs{action:ping,method:GET,name:/api/v4/system/ping,status:200}')).toBe(1);
    expect(
      count(metrics, 'http_reqs{action:click_permalink,method:GET,name:/api/v4/posts/{id},status:404}'),
    ).toBe(1);
    expect(count(metrics, 'http_reqs{action:none,method:GET,name:/api/v4/users/me,status:502}')).toBe(1);
    expect(count(metrics, 'http_req_duration')).toBe(3);
    const failed = metrics.snapshot().http_req_failed as { passes: number; count: number };
    expect(failed).toMatchObject({ passes: 2, count: 3 });
    expect(count(metrics, 'http_req_5xx')).toBe(3);
  });

  it('cuts a request at the client timeout and counts it', async () => {
    const metrics = new MetricsRegistry();
    const client = instrumentClient(newClient(url), { metrics, timeoutMs: 100 });
    const started = performance.now();
    const err = await inScope({ action: 'get_drafts' }, () =>
      client.getUserDrafts('k3m9x1p2q4r5s6t7u8v9w0y1z2'),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(performance.now() - started).toBeLessThan(900);
    expect(
      count(metrics, 'mm_timeouts{action:get_drafts,method:GET,name:/api/v4/users/me/teams/{id}/drafts}'),
    ).toBe(1);
    expect(
      count(
        metrics,
        'http_reqs{action:get_drafts,method:GET,name:/api/v4/users/me/teams/{id}/drafts,status:0}',
      ),
    ).toBe(1);
  });

  it('stops a request when its scope is aborted, without recording it', async () => {
    const metrics = new MetricsRegistry();
    const client = instrumentClient(newClient(url), { metrics });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await inScope({ action: 'x', signal: controller.signal }, () =>
      client.getUserDrafts('k3m9x1p2q4r5s6t7u8v9w0y1z2'),
    ).catch((e: unknown) => e);
    expect(err).toBeDefined();
    expect(count(metrics, 'http_reqs')).toBe(0);
  });
});
