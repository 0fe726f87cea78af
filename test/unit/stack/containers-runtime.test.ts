import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packageRoot } from '../../../src/common/package-root.js';
import { afterStartSteps } from '../../../src/stack/containers/after-start.js';
import { PlannedContainer, toWaitStrategy } from '../../../src/stack/containers/container-builder.js';
import { type ContainerPlan, startWaves } from '../../../src/stack/containers/container-plan.js';
import { allocateHostPorts } from '../../../src/stack/containers/host-ports.js';
import { probeContainerRuntime } from '../../../src/stack/containers/runtime-probe.js';
import { generateSecrets, redact, redactError, secretValues } from '../../../src/stack/containers/secrets.js';
import { placeOnSubnet } from '../../../src/stack/containers/stack-network.js';
import { type ContainersStackPlan, planContainersStack } from '../../../src/stack/containers/stack-plan.js';
import type { ContainersEnvironment } from '../../../src/stack/environment.js';
import { loadEnvironmentFile } from '../../../src/stack/environment-file.js';

// The runtime layer's pure parts: the plan → Testcontainers builder mapping (read back from the
// builder's own fields), the runtime probe, host ports and secret redaction.

let env: ContainersEnvironment;
let plan: ContainersStackPlan;

beforeAll(async () => {
  const loaded = await loadEnvironmentFile(join(packageRoot(), 'environments', 'containers.yaml'), {
    checkPorts: false,
  });
  if (loaded.provider !== 'containers') throw new Error('expected a containers environment');
  env = loaded;
  let next = 31000;
  const hostPorts = await allocateHostPorts(env, async () => next++);
  plan = planContainersStack({
    env,
    secrets: generateSecrets(),
    hostPorts,
    stackId: 's1',
    runDir: '/runs/s1',
  });
});

/** Testcontainers keeps a wait strategy's settings in private fields; read the ones we set. */
function describeWait(strategy: unknown): unknown {
  const s = strategy as Record<string, unknown> & {
    constructor: { name: string };
    getStartupTimeout(): number;
  };
  switch (s.constructor.name) {
    case 'HttpWaitStrategy':
      return {
        http: s.path,
        port: s.port,
        abortOnExit: (s.options as { abortOnContainerExit?: boolean }).abortOnContainerExit,
      };
    case 'ShellWaitStrategy':
      return { command: s.command };
    case 'HostPortWaitStrategy':
      return { ports: true };
    case 'LogWaitStrategy':
      return { log: String(s.message), times: s.times };
    case 'CompositeWaitStrategy':
      return { all: (s.waitStrategies as unknown[]).map(describeWait) };
    default:
      return s.constructor.name;
  }
}

/** Startup timeouts of the strategies that do the waiting (a composite passes its own down). */
function leafTimeouts(strategy: unknown): number[] {
  const s = strategy as { waitStrategies?: unknown[]; getStartupTimeout(): number };
  return s.waitStrategies ? s.waitStrategies.flatMap(leafTimeouts) : [s.getStartupTimeout()];
}

describe('PlannedContainer: the builder carries exactly what the plan says', () => {
  test.each(['postgres-primary', 'postgres-replica', 'object-store', 'toxiproxy', 'app-1', 'nginx'])(
    '%s',
    (name) => {
      const p = plan.containers.find((c) => c.name === name)!;
      const state = new PlannedContainer(p, plan.network).builderState();
      expect(state.image).toBe(p.image);
      expect(state.name).toBe(p.containerName);
      expect(state.env).toEqual(p.env);
      expect(state.entrypoint).toEqual(p.entrypoint);
      expect(state.command).toEqual(p.command);
      expect(state.networkMode).toBe('mmdrill-s1');
      expect(state.networkAliases).toEqual(p.networkAliases);
      expect(state.labels).toEqual(p.labels);
      expect(state.files).toEqual(p.files);
      expect(state.startupTimeoutMs).toBe(p.startupTimeoutMs);
      expect(new Set(leafTimeouts(state.waitStrategy))).toEqual(new Set([p.startupTimeoutMs]));
      // No reaper: a detached stack must outlive this process.
      expect(state.autoCleanup).toBe(false);
      // Published on 127.0.0.1 only, at the planned host port.
      expect(state.portBindings).toEqual(
        Object.fromEntries(
          p.published.map((x) => [`${x.container}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(x.host) }]]),
        ),
      );
    },
  );

  test('wait strategies are the planned ones', () => {
    const waits = Object.fromEntries(
      plan.containers.map((c) => [
        c.name,
        describeWait(new PlannedContainer(c, plan.network).builderState().waitStrategy),
      ]),
    );
    const pg = {
      all: [
        { command: 'pg_isready --host=127.0.0.1 --port=5432 --username=mmuser --dbname=mattermost --quiet' },
        { ports: true },
      ],
    };
    expect(waits).toEqual({
      'postgres-primary': pg,
      'postgres-replica': pg,
      'object-store': { http: '/minio/health/live', port: 9000, abortOnExit: true },
      toxiproxy: { http: '/version', port: 8474, abortOnExit: true },
      rtcd: { http: '/version', port: 8045, abortOnExit: true },
      'app-1': { http: '/api/v4/system/ping', port: 8065, abortOnExit: true },
      'app-2': { http: '/api/v4/system/ping', port: 8065, abortOnExit: true },
      nginx: { http: '/nginx-health', port: 8081, abortOnExit: true },
    });
    expect(describeWait(toWaitStrategy({ kind: 'log', pattern: 'ready', times: 2 }, 1000))).toEqual({
      log: '/ready/',
      times: 2,
    });
  });

  test('placed on the network: a fixed address and every member of the stack in /etc/hosts', () => {
    const placements = placeOnSubnet('10.89.7.0/24', plan.containers);
    expect([...placements.values()].map((p) => p.address)).toEqual(
      plan.containers.map((_, i) => `10.89.7.${10 + i}`),
    );
    const app = plan.containers.find((c) => c.name === 'app-1')!;
    const state = new PlannedContainer(
      app,
      plan.network,
      undefined,
      undefined,
      placements.get('app-1'),
    ).builderState();
    expect(state.networkMode).toBe('mmdrill-s1');
    expect(state.networkAliases).toEqual(app.networkAliases);
    expect(state.ipAddress).toBe(placements.get('app-1')!.address);
    const toxiproxyAt = placements.get('toxiproxy')!.address;
    const replicaAt = placements.get('postgres-replica')!.address;
    expect(state.extraHosts).toContain(`toxiproxy:${toxiproxyAt}`);
    expect(state.extraHosts).toContain(`postgres-replica:${replicaAt}`);
    // One entry per alias of every container, the same list for each of them.
    expect(state.extraHosts).toHaveLength(plan.containers.flatMap((c) => c.networkAliases).length);
    // Unplaced: no fixed address, no /etc/hosts entries (the runtime's own naming).
    const bare = new PlannedContainer(app, plan.network).builderState();
    expect(bare.ipAddress).toBeUndefined();
    expect(bare.extraHosts).toEqual([]);
  });

  test('placement takes hosts from the start of any subnet and refuses one too small', () => {
    const two = plan.containers.slice(0, 2);
    expect([...placeOnSubnet('172.18.0.0/16', two).values()].map((p) => p.address)).toEqual([
      '172.18.0.10',
      '172.18.0.11',
    ]);
    expect(() => placeOnSubnet('10.0.0.0/29', two)).toThrow(/too small/);
    expect(() => placeOnSubnet('fd00::/64', two)).toThrow(/not an IPv4 subnet/);
  });

  test('a plan without entrypoint, command or files leaves the image defaults alone', () => {
    const bare: ContainerPlan = {
      ...plan.containers[0]!,
      entrypoint: undefined,
      command: undefined,
      files: [],
    };
    const state = new PlannedContainer(bare, 'net').builderState();
    expect(state.entrypoint).toBeUndefined();
    expect(state.command).toBeUndefined();
    expect(state.files).toEqual([]);
  });
});

describe('host ports', () => {
  test('distinct, with the fixed ones from the environment', async () => {
    const ports = [
      40000, 40000, 40001, 18065, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009, 40010, 40011,
    ];
    const hostPorts = await allocateHostPorts(
      { ...env, ports: { lb: 18065, toxiproxy: 0 } },
      async () => ports.shift()!,
    );
    expect(hostPorts.users).toBe(18065);
    const all = [
      hostPorts.users,
      hostPorts.nginx,
      hostPorts.nginxStatus,
      hostPorts.postgresPrimary,
      hostPorts.postgresReplica,
      hostPorts.objectStore,
      hostPorts.toxiproxyApi,
      hostPorts.rtcdApi,
      hostPorts.rtcdMedia,
      ...hostPorts.apps.flatMap((a) => [a.http, a.metrics]),
    ];
    expect(all.every((p) => typeof p === 'number')).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('secrets', () => {
  test('generated fresh each time, hex only', () => {
    const a = generateSecrets();
    const b = generateSecrets();
    expect(secretValues(a)).not.toEqual(secretValues(b));
    for (const value of secretValues(a)) expect(value).toMatch(/^[a-z0-9]{16,}$/);
  });

  test('redaction hides secrets, URL-encoded ones too, and drops the cause', () => {
    const secrets = ['s3cr3t/with+chars', 'abcd1234'];
    expect(redact('dsn postgres://u:s3cr3t%2Fwith%2Bchars@h and abcd1234', secrets)).toBe(
      'dsn postgres://u:***@h and ***',
    );
    const error = redactError(new Error('failed with abcd1234', { cause: new Error('abcd1234') }), secrets);
    expect(error.message).toBe('failed with ***');
    expect(error.cause).toBeUndefined();
    expect(error.stack).not.toContain('abcd1234');
  });
});

describe('runtime probe', () => {
  let dir: string;
  let server: Server;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmdrill-probe-'));
    server = createServer((req, res) => {
      res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK');
    });
    await new Promise<void>((resolve) => server.listen(join(dir, 'docker.sock'), resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  test('a socket answering /_ping is a runtime', async () => {
    const dockerHost = `unix://${join(dir, 'docker.sock')}`;
    const probe = await probeContainerRuntime({ env: { DOCKER_HOST: dockerHost } });
    expect(probe).toEqual({
      available: true,
      reason: `container runtime at ${dockerHost} answers`,
      dockerHost,
    });
  });

  test('a socket that is not there, or no runtime at all, is reported with what was tried', async () => {
    const missing = await probeContainerRuntime({ env: { DOCKER_HOST: `unix://${join(dir, 'nope.sock')}` } });
    expect(missing.available).toBe(false);
    expect(missing.reason).toContain('nope.sock');
    const odd = await probeContainerRuntime({ env: { DOCKER_HOST: 'ssh://host' } });
    expect(odd).toEqual({
      available: false,
      reason: 'DOCKER_HOST=ssh://host is neither unix:// nor tcp://host:port',
    });
    const tcp = await probeContainerRuntime({ env: { DOCKER_HOST: 'tcp://127.0.0.1:1' }, timeoutMs: 500 });
    expect(tcp.available).toBe(false);
    expect(tcp.reason).toMatch(/tcp:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});

describe('startWaves', () => {
  const c = (name: string, dependsOn: string[] = []) => ({ name, dependsOn }) as ContainerPlan;
  test('refuses unknown dependencies and cycles', () => {
    expect(() => startWaves([c('a', ['b'])])).toThrow('a depends on b, which is not in the plan');
    expect(() => startWaves([c('a', ['b']), c('b', ['a'])])).toThrow('dependency cycle among a, b');
  });
});

describe('steps after a start, against a stand-in for the Toxiproxy API and S3', () => {
  const requests: { method: string; url: string; body: string }[] = [];
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, body });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(req.url === '/populate' ? '{"proxies":[]}' : '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('proxies are created once their downstream side can use them; all again after Toxiproxy restarts', async () => {
    let next = 32000;
    const hostPorts = await allocateHostPorts(env, async () => next++);
    const secrets = generateSecrets();
    const p = planContainersStack({
      env,
      secrets,
      hostPorts: { ...hostPorts, toxiproxyApi: port, objectStore: port },
      stackId: 's2',
      runDir: '/runs/s2',
    });
    const steps = afterStartSteps(p, { accessKeyId: 'k', secretAccessKey: 'secret-key-0000' });
    const populated = () => {
      const last = requests.splice(0).filter((r) => r.url === '/populate');
      return last.map((r) => (JSON.parse(r.body) as { name: string }[]).map((x) => x.name));
    };
    await steps.onFirstStart('postgres-primary');
    expect(requests).toEqual([]);
    await steps.onFirstStart('toxiproxy');
    expect(populated()).toEqual([
      ['app-db-primary', 'app-db-replica', 'app-object-store', 'lb-app-1', 'lb-app-2'],
    ]);
    await steps.onFirstStart('nginx');
    expect(populated()).toEqual([['users-lb']]);
    await steps.onRestart('toxiproxy');
    expect(populated()).toEqual([
      ['app-db-primary', 'app-db-replica', 'app-object-store', 'lb-app-1', 'lb-app-2', 'users-lb'],
    ]);
    await steps.onRestart('app-1');
    expect(requests).toEqual([]);
    await steps.onFirstStart('object-store');
    expect(requests.splice(0).map((r) => `${r.method} ${r.url}`)).toEqual(['PUT /mattermost/']);
  });
});

describe('without a container runtime', async () => {
  const probe = await probeContainerRuntime();
  test.skipIf(probe.available)('up fails at once, naming what was tried, without secrets', async () => {
    const { ContainersProvider } = await import('../../../src/stack/containers/provider.js');
    const password = 'admin-password-0000';
    const error = await new ContainersProvider({ license: 'license-0000' })
      .up(env, { runDir: '/nonexistent', adminPassword: password })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toContain(
      'the containers provider needs Docker or Podman: no container runtime answers',
    );
    expect(error?.message).not.toContain(password);
  });
});
