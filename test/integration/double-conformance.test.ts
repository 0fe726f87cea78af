import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EndpointCall,
  type EndpointRequest,
  endpointRequests,
} from '../support/client-endpoint-requests.js';
import { CLIENT_ENDPOINTS, type ClientEndpoint, endpointKey } from '../support/client-endpoints.js';
import { ConformanceFixture } from '../support/conformance-fixture.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';

// Walks test/support/client-endpoints.ts (every call of the web app's first load and resync and
// of load-test-ng's simulcontroller) against the double, twice: with the headers Mattermost's Go
// client sends (`Authorization: BEARER`, `If-None-Match` on every GET — how LTNG and most
// third-party clients build requests) and with the headers of @mattermost/client (Client4).
// Each entry needs a request here; an entry without one, or one the double answers with another
// status or without an always-written key, fails.

let cluster: DoubleCluster;
let fx: ConformanceFixture;
let BUILD: Record<string, EndpointRequest> = {};

type Style = 'go' | 'client4';

async function send(style: Style, e: ClientEndpoint, call: EndpointCall): Promise<Response> {
  const token = call.token ?? fx.alice.client.getToken();
  const headers: Record<string, string> = {};
  if (style === 'go') {
    if (token) headers.Authorization = `BEARER ${token}`;
    if (e.method === 'GET') headers['If-None-Match'] = '';
  } else {
    headers['X-Requested-With'] = 'XMLHttpRequest';
    if (token) headers.Authorization = `BEARER ${token}`;
  }
  let body: FormData | string | undefined;
  if (call.multipart) body = call.multipart;
  else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['Content-Type'] = 'application/json';
  }
  return fetch(`${cluster.url}${call.path}`, {
    method: e.method,
    headers,
    ...(body === undefined ? {} : { body }),
    redirect: 'manual',
  });
}

function missingKeys(value: unknown, keys: readonly string[]): string[] {
  if (!value || typeof value !== 'object') return ['<not an object>'];
  return keys.filter((k) => !(k in (value as object)));
}

async function check(style: Style, e: ClientEndpoint): Promise<void> {
  const build = BUILD[endpointKey(e)];
  expect(build, `no request for ${endpointKey(e)} in the conformance test`).toBeDefined();
  const res = await send(style, e, await build!());
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(res.status, `${endpointKey(e)}: ${bytes.toString('utf8').slice(0, 300)}`).toBe(e.status);
  const type = res.headers.get('content-type') ?? '';
  if (e.body === 'png') {
    expect(type).toBe('image/png');
    expect(PNG.sync.read(bytes).width).toBeGreaterThan(0);
    return;
  }
  if (e.body === 'jpeg') {
    expect(type).toBe('image/jpeg');
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    return;
  }
  if (e.body === 'html') {
    expect(type).toMatch(/^text\/html/);
    return;
  }
  if (e.body === 'none') return;
  expect(type).toBe('application/json');
  const json = JSON.parse(bytes.toString('utf8')) as unknown;
  if (e.body === 'array') {
    expect(Array.isArray(json), endpointKey(e)).toBe(true);
    for (const item of json as unknown[]) expect(missingKeys(item, e.keys), endpointKey(e)).toEqual([]);
  } else if (e.body === 'map') {
    expect(json && typeof json === 'object' && !Array.isArray(json), endpointKey(e)).toBe(true);
    for (const v of Object.values(json as object))
      if (e.keys.length > 0) expect(missingKeys(v, e.keys)).toEqual([]);
  } else if (e.itemsAt) {
    const items = (json as Record<string, unknown>)[e.itemsAt];
    expect(Array.isArray(items), `${endpointKey(e)}.${e.itemsAt}`).toBe(true);
    for (const item of items as unknown[]) expect(missingKeys(item, e.keys), endpointKey(e)).toEqual([]);
  } else {
    expect(missingKeys(json, e.keys), endpointKey(e)).toEqual([]);
  }
}

beforeAll(async () => {
  cluster = await startDoubleCluster({ nodes: 1, objectStore: true });
  fx = await new ConformanceFixture(cluster.url).setUp();
  BUILD = endpointRequests(fx);
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('every endpoint real clients call is served with its status and keys', () => {
  it('has a request for every listed endpoint', () => {
    const missing = CLIENT_ENDPOINTS.map(endpointKey).filter((k) => !(k in BUILD));
    expect(missing).toEqual([]);
  });
  for (const style of ['go', 'client4'] as const) {
    for (const e of CLIENT_ENDPOINTS) {
      it(`${style}: ${endpointKey(e)}`, async () => check(style, e));
    }
  }
});
