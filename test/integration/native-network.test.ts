import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, test } from 'vitest';
import {
  type NginxAccessLogEntry,
  NginxLoadBalancer,
  type NginxLoadBalancerOptions,
} from '../../src/stack/native/nginx.js';
import { liveManagedProcessCount } from '../../src/stack/native/process-registry.js';
import { processGroupMembers } from '../../src/stack/native/procfs.js';
import { ToxiproxyServer } from '../../src/stack/native/toxiproxy.js';
import { ToxiproxyApiError, type ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';
import {
  httpRequest,
  type NamedBackend,
  requestFailure,
  startNamedBackend,
  timedRequest,
  webSocketEcho,
} from '../support/http-backends.js';
import { ProcessLedger } from '../support/native.js';

const ledger = new ProcessLedger();
const backends: NamedBackend[] = [];

afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
  const survivors = await ledger.teardown();
  expect(survivors, 'processes started by the test are still alive').toEqual([]);
  expect(liveManagedProcessCount()).toBe(0);
});

async function backend(name: string): Promise<NamedBackend> {
  const started = await startNamedBackend(name);
  backends.push(started);
  return started;
}

async function startedToxiproxy(): Promise<{ server: ToxiproxyServer; api: ToxiproxyClient }> {
  const server = ledger.component(new ToxiproxyServer({ dir: await ledger.runDir('toxiproxy-') }));
  await server.start();
  ledger.pid(server.pid);
  return { server, api: server.client() };
}

async function startedNginx(options: Omit<NginxLoadBalancerOptions, 'dir'>): Promise<NginxLoadBalancer> {
  const nginx = ledger.component(new NginxLoadBalancer({ dir: await ledger.runDir('nginx-'), ...options }));
  await nginx.start();
  // Master and workers: every one of them must be gone after the test.
  ledger.pid(nginx.pid, ...processGroupMembers(nginx.pid));
  return nginx;
}

/** Median of `count` request times; single samples on a busy 2-core machine are noisy. */
async function medianMs(url: string, count = 5): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push((await timedRequest(url)).ms);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(count / 2)]!;
}

/** nginx logs a request just after its last byte is sent: give the line a moment to land. */
async function accessLog(nginx: NginxLoadBalancer, atLeast: number): Promise<NginxAccessLogEntry[]> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const entries = await nginx.readAccessLog();
    if (entries.length >= atLeast || Date.now() > deadline) return entries;
    await sleep(20);
  }
}

async function bodies(url: string, count: number): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < count; i++) {
    const { status, body } = await httpRequest(url);
    answers.push(status === 200 ? body : `status ${status}`);
  }
  return answers;
}

describe('ToxiproxyServer and ToxiproxyClient', () => {
  test('a latency toxic adds its delay downstream; removing it takes the delay away', async () => {
    const { api } = await startedToxiproxy();
    // `go install` builds report 'git'; release binaries their tag.
    expect(await api.version()).toMatch(/^(git|2\.\d+\.\d+)$/);
    const alpha = await backend('alpha');
    const proxy = await api.createProxy({ name: 'app', listen: '127.0.0.1:0', upstream: alpha.address });
    expect(proxy).toMatchObject({ name: 'app', upstream: alpha.address, enabled: true, toxics: [] });
    const url = `http://${proxy.listen}/`;
    expect(await httpRequest(url)).toEqual({ status: 200, body: 'alpha' });

    const baseline = await medianMs(url);
    const toxic = await api.addToxic('app', {
      type: 'latency',
      stream: 'downstream',
      attributes: { latency: 200 },
    });
    expect(toxic).toMatchObject({
      name: 'latency_downstream',
      toxicity: 1,
      attributes: { latency: 200, jitter: 0 },
    });
    const delayed = await medianMs(url);
    expect(delayed - baseline).toBeGreaterThan(150);
    expect(delayed - baseline).toBeLessThan(250);

    const updated = await api.updateToxic<'latency'>('app', toxic.name, { attributes: { latency: 50 } });
    expect(updated.attributes.latency).toBe(50);
    await api.removeToxic('app', toxic.name);
    expect(await api.listToxics('app')).toEqual([]);
    expect((await medianMs(url)) - baseline).toBeLessThan(50);
  });

  test('disable partitions the link, enable heals it, a new upstream moves it; reset clears faults', async () => {
    const { server, api } = await startedToxiproxy();
    const alpha = await backend('alpha');
    const beta = await backend('beta');
    const { listen } = await api.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: alpha.address });
    const url = `http://${listen}/`;

    await api.disableProxy('db');
    expect(await requestFailure(url)).toMatch(/^(ECONNREFUSED|ECONNRESET)$/);
    expect((await api.enableProxy('db')).listen).toBe(listen);
    expect((await httpRequest(url)).body).toBe('alpha');

    // The failover move: same listen address, new server behind it.
    expect((await api.setUpstream('db', beta.address)).upstream).toBe(beta.address);
    expect(await bodies(url, 3)).toEqual(['beta', 'beta', 'beta']);

    await api.addToxic('db', { type: 'timeout', name: 'blackhole', attributes: { timeout: 0 } });
    await api.disableProxy('db');
    await api.reset();
    expect(await api.getProxy('db')).toMatchObject({ enabled: true, toxics: [] });
    expect((await httpRequest(url)).body).toBe('beta');

    // populate keeps an identical proxy and adds the new one.
    const populated = await api.populate([
      { name: 'db', listen, upstream: beta.address },
      { name: 's3', listen: '127.0.0.1:0', upstream: alpha.address, enabled: false },
    ]);
    expect(populated.map((p) => [p.name, p.enabled])).toEqual([
      ['db', true],
      ['s3', false],
    ]);
    expect((await api.listProxies()).map((p) => p.name)).toEqual(['db', 's3']);
    await api.deleteProxy('s3');

    const duplicate = api.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: alpha.address });
    await expect(duplicate).rejects.toBeInstanceOf(ToxiproxyApiError);
    await expect(duplicate).rejects.toThrow('Toxiproxy POST /proxies failed: 409 proxy already exists');
    await expect(api.getProxy('nope')).rejects.toThrow(
      'Toxiproxy GET /proxies/nope failed: 404 proxy not found',
    );

    // Proxies live in the server's memory only: a restarted server has none.
    await server.kill();
    await server.start();
    ledger.pid(server.pid);
    expect(await api.listProxies()).toEqual([]);
  });
});

describe('NginxLoadBalancer', () => {
  test('round-robins, upgrades WebSockets, forwards client headers and enforces the body limit', async () => {
    const alpha = await backend('alpha');
    const beta = await backend('beta');
    const nginx = await startedNginx({ upstreams: [alpha.address, beta.address], clientMaxBodySize: '1m' });

    const answers = await bodies(`${nginx.url}/api/v4/system/ping`, 6);
    expect(new Set(answers)).toEqual(new Set(['alpha', 'beta']));
    // Strict alternation: one worker, plain round-robin, no stickiness.
    for (let i = 1; i < answers.length; i++) expect(answers[i]).not.toBe(answers[i - 1]);

    const log = await accessLog(nginx, answers.length);
    expect(log.map((entry) => entry.upstreams[0])).toEqual(
      answers.map((name) => (name === 'alpha' ? alpha.address : beta.address)),
    );
    expect(log[0]).toMatchObject({ method: 'GET', uri: '/api/v4/system/ping', status: 200 });

    const { body } = await httpRequest(`${nginx.url}/headers`);
    const { headers } = JSON.parse(body) as { headers: Record<string, string> };
    expect(headers).toMatchObject({
      host: `127.0.0.1:${nginx.port}`,
      'x-real-ip': '127.0.0.1',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
    });

    const wsUrl = nginx.url.replace('http:', 'ws:');
    const echoes = [
      await webSocketEcho(`${wsUrl}/api/v4/websocket`, 'hello'),
      await webSocketEcho(`${wsUrl}/api/v4/users/websocket`, 'hello'),
    ];
    expect(echoes.sort()).toEqual(['alpha:hello', 'beta:hello']);

    const small = await httpRequest(`${nginx.url}/api/v4/files`, {
      method: 'POST',
      body: Buffer.alloc(512 * 1024),
    });
    expect(small.status).toBe(200);
    expect(small.body).toMatch(/^(alpha|beta) 524288$/);
    const big = await httpRequest(`${nginx.url}/api/v4/files`, {
      method: 'POST',
      body: Buffer.alloc(2 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
  });

  test('a dead node is skipped (passive failover) and reload() swaps the upstreams', async () => {
    const alpha = await backend('alpha');
    const beta = await backend('beta');
    const gamma = await backend('gamma');
    const nginx = await startedNginx({ upstreams: [alpha.address, beta.address] });
    expect(new Set(await bodies(nginx.url, 2))).toEqual(new Set(['alpha', 'beta']));

    await alpha.close();
    expect(await bodies(nginx.url, 6)).toEqual(Array(6).fill('beta'));
    const failedOver = (await nginx.readAccessLog()).filter((entry) => entry.upstreams.length > 1);
    expect(failedOver.length).toBeGreaterThan(0);
    expect(failedOver[0]).toMatchObject({ status: 200, upstreams: [alpha.address, beta.address] });
    expect(failedOver[0]?.upstreamStatus).toBe('502, 200');

    const masterPid = nginx.pid;
    await nginx.reload({ upstreams: [gamma.address] });
    expect(nginx.pid).toBe(masterPid);
    expect(await bodies(nginx.url, 3)).toEqual(['gamma', 'gamma', 'gamma']);
    ledger.pid(...processGroupMembers(nginx.pid));

    // A restart keeps the port and the latest upstreams.
    // nginx handles SIGTERM itself (fast shutdown) and exits 0.
    expect(await nginx.stop()).toEqual({ code: 0, signal: null });
    await nginx.start();
    ledger.pid(nginx.pid, ...processGroupMembers(nginx.pid));
    expect((await httpRequest(nginx.url)).body).toBe('gamma');
  });

  test('a config nginx rejects fails start() with nginx -t output and leaves nothing running', async () => {
    const nginx = ledger.component(
      new NginxLoadBalancer({ dir: await ledger.runDir('nginx-'), upstreams: ['127.0.0.1:0'] }),
    );
    await expect(nginx.start()).rejects.toThrow(
      /nginx -t rejected[\s\S]*invalid port in upstream "127\.0\.0\.1:0"/,
    );
    expect(nginx.isRunning()).toBe(false);
    await expect(
      new NginxLoadBalancer({
        dir: await ledger.runDir('nginx-'),
        upstreams: ['x:1'],
        clientMaxBodySize: '1 GB',
      }).start(),
    ).rejects.toThrow(/clientMaxBodySize '1 GB' is not an nginx size/);
  });
});

describe('the native network path', () => {
  test('users → toxiproxy → nginx → toxiproxy → app nodes: faults on each link', async () => {
    const { api } = await startedToxiproxy();
    const app1 = await backend('app-1');
    const app2 = await backend('app-2');
    const links = await api.populate([
      { name: 'app-1', listen: '127.0.0.1:0', upstream: app1.address },
      { name: 'app-2', listen: '127.0.0.1:0', upstream: app2.address },
    ]);
    const nginx = await startedNginx({ upstreams: links.map((link) => link.listen) });
    const { listen: edge } = await api.createProxy({
      name: 'edge',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${nginx.port}`,
    });
    const url = `http://${edge}/api/v4/system/ping`;

    expect(new Set(await bodies(url, 4))).toEqual(new Set(['app-1', 'app-2']));
    expect(await webSocketEcho(`ws://${edge}/api/v4/websocket`, 'hi')).toMatch(/^app-[12]:hi$/);

    // A partitioned app link: nginx fails over to the other node, users see no error.
    await api.disableProxy('app-1');
    expect(await bodies(url, 4)).toEqual(Array(4).fill('app-2'));
    await api.enableProxy('app-1');

    // Latency on the users' link shows up end to end.
    const baseline = await medianMs(url, 3);
    await api.addToxic('edge', { type: 'latency', attributes: { latency: 100 } });
    const delayed = await medianMs(url, 3);
    expect(delayed - baseline).toBeGreaterThan(60);
    expect(delayed - baseline).toBeLessThan(160);

    await api.reset();
    // 14 requests and one WebSocket (101, logged when it closed): no user saw an error.
    const log = await accessLog(nginx, 15);
    expect(log.filter((entry) => entry.status !== 200 && entry.status !== 101)).toEqual([]);
  });
});
