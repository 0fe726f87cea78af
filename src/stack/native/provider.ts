import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserProfile } from '@mattermost/types/users';
import { LOOPBACK } from '../../common/loopback.js';
import { parseDuration } from '../../config/duration.js';
import { newClient } from '../../mattermost/official-client.js';
import { type Environment, type LinkName, type NativeEnvironment, proxiedLinks } from '../environment.js';
import {
  type ComponentHealth,
  type ComponentStopped,
  type ControllableComponent,
  type DetachedStack,
  type RunningStack,
  StackAbortedError,
  type StackProvider,
  type UpOptions,
} from '../provider.js';
import type { StackComponent, StackDocument, StackProxy } from '../stack-document.js';
import { ToxiproxyClient } from '../toxiproxy-client.js';
import { anyAlive, healthOfDetached, stopDetachedProcesses } from './detached.js';
import { DoubleAppNode } from './double-node.js';
import { testDoubleArgs, testDoubleEnv } from './double-settings.js';
import { removeEgressGuard } from './egress-guard.js';
import { appNodeUid, EgressWatch } from './egress-watch.js';
import { NginxLoadBalancer } from './nginx.js';
import { VersityGateway } from './object-store.js';
import { freePort } from './ports.js';
import { PostgresCluster } from './postgres.js';
import { PushSink } from './push-sink.js';
import { type CallsTier, describeCallsTier, startCallsTier } from './rtcd-tier.js';
import { ToxiproxyServer } from './toxiproxy.js';

/** What the native stack runs, as objects this process controls. */
interface NativeParts {
  primary: PostgresCluster;
  replica: PostgresCluster | null;
  objectStore: VersityGateway | null;
  toxiproxy: ToxiproxyServer | null;
  apps: DoubleAppNode[];
  nginx: NginxLoadBalancer;
  calls: CallsTier | null;
  pushSink: PushSink;
  egress: EgressWatch | null;
}

/** Anything started, in start order, so that teardown can go in reverse. */
interface Stoppable {
  stop(): Promise<unknown>;
  kill(): Promise<unknown>;
  detach(): void;
}

const DATABASE = 'mattermost';
const BUCKET = 'mattermost';

/**
 * The sovereign topology from binaries on this machine: PostgreSQL primary (+ streaming
 * replica), versitygw, Toxiproxy with a proxy on every link, N app nodes of the Mattermost test
 * double reaching the database and the store through their proxies, and NGINX in front of the
 * app nodes, itself behind the users' proxy.
 */
export class NativeProvider implements StackProvider {
  stillRunning(stack: DetachedStack): boolean {
    return anyAlive(stack.document);
  }

  status(stack: DetachedStack): Promise<ComponentHealth[]> {
    return healthOfDetached(stack);
  }

  async down(stack: DetachedStack, progress?: (stopped: ComponentStopped) => void): Promise<void> {
    await stopDetachedProcesses(stack, progress);
    if (stack.document.egress) removeEgressGuard(stack.document.egress.table);
    await removeData(stack.document.runDir);
  }

  async up(env: Environment, options: UpOptions): Promise<RunningStack> {
    if (env.provider !== 'native') throw new Error(`native provider given a ${env.provider} environment`);
    const started: Stoppable[] = [];
    const { signal } = options;
    const step = async <T>(
      component: string,
      run: () => Promise<T>,
      detail?: (value: T) => string,
    ): Promise<T> => {
      if (signal?.aborted) throw new StackAbortedError();
      options.progress?.({ component, phase: 'starting' });
      const t0 = Date.now();
      const value = await run();
      options.progress?.({ component, phase: 'ready', ms: Date.now() - t0, detail: detail?.(value) });
      if (signal?.aborted) throw new StackAbortedError();
      return value;
    };
    const track = <T extends Stoppable>(part: T): T => {
      started.push(part);
      return part;
    };
    try {
      return await this.bringUp(env, options, step, track);
    } catch (err) {
      // Reverse order: the load balancer first, the database last.
      for (const part of started.reverse()) await part.kill().catch(() => undefined);
      await removeData(options.runDir);
      throw signal?.aborted ? new StackAbortedError() : err;
    }
  }

  private async bringUp(
    env: NativeEnvironment,
    options: UpOptions,
    step: <T>(component: string, run: () => Promise<T>, detail?: (value: T) => string) => Promise<T>,
    track: <T extends Stoppable>(part: T) => T,
  ): Promise<RunningStack> {
    const dir = options.runDir;
    const links = proxiedLinks(env);
    const proxied = (link: LinkName) => links.includes(link);
    const anyProxy = env.proxies === 'all' || env.proxies.length > 0;

    const primary = track(
      new PostgresCluster({ dir: join(dir, 'postgres-primary'), name: 'postgres-primary' }),
    );
    await step(
      'postgres-primary',
      async () => {
        await primary.init();
        await primary.start();
        await primary.createDatabase(DATABASE);
      },
      () => `${LOOPBACK}:${primary.port}`,
    );

    let replica: PostgresCluster | null = null;
    if (env.database.replica) {
      replica = await step(
        'postgres-replica',
        async () => {
          const r = track(
            await primary.createReplica({ dir: join(dir, 'postgres-replica'), name: 'postgres-replica' }),
          );
          await r.start();
          return r;
        },
        (r) => `${LOOPBACK}:${r.port} (streaming from the primary)`,
      );
    }

    let objectStore: VersityGateway | null = null;
    if (env.objectStore.enabled) {
      const gateway = track(
        new VersityGateway({ dir: join(dir, 'object-store'), bucket: BUCKET, name: 'object-store' }),
      );
      objectStore = await step(
        'object-store',
        () => gateway.start(),
        (g) => `${g.endpoint} bucket ${g.bucket}`,
      );
    }

    // Ports are fixed before anything points at them: proxies need their upstreams up front.
    const appPorts = await Promise.all(Array.from({ length: env.appNodes }, () => freePort()));
    const proxies: StackProxy[] = [];
    let toxiproxy: ToxiproxyServer | null = null;
    const through = async (
      name: string,
      link: LinkName,
      upstreamPort: number,
      listenPort?: number,
    ): Promise<string> => {
      if (!toxiproxy || !proxied(link)) return `${LOOPBACK}:${upstreamPort}`;
      const listen = `${LOOPBACK}:${listenPort ?? (await freePort())}`;
      const upstream = `${LOOPBACK}:${upstreamPort}`;
      await toxiproxy.client().createProxy({ name, listen, upstream });
      proxies.push({ name, link, listen, upstream });
      return listen;
    };
    if (anyProxy) {
      const server = track(
        new ToxiproxyServer({
          dir: join(dir, 'toxiproxy'),
          port: env.ports.toxiproxy || undefined,
          logLevel: 'warn',
        }),
      );
      toxiproxy = await step(
        'toxiproxy',
        () => server.start(),
        (t) => t.apiUrl,
      );
    }
    const dbAddress = await through('app-db-primary', 'app-db-primary', primary.port);
    const replicaAddress = replica ? await through('app-db-replica', 'app-db-replica', replica.port) : null;
    const storeAddress = objectStore
      ? await through('app-object-store', 'app-object-store', objectStore.port)
      : null;
    const lbUpstreams: string[] = [];
    for (const [i, port] of appPorts.entries())
      lbUpstreams.push(await through(`lb-app-${i + 1}`, 'lb-app', port));

    const calls = await startCallsTier(env, { dir, step, track, through });
    const pushSink = track(new PushSink({ dir: join(dir, 'push-sink') }));
    await step(
      'push-sink',
      () => pushSink.start(),
      (p) => p.url,
    );

    let egress: EgressWatch | null = null;
    if (env.egressWatch?.enabled) {
      const watch = track(
        new EgressWatch({
          dir: join(dir, 'egress'),
          components: new Map(appPorts.map((port, i) => [appNodeUid(port), `app-${i + 1}`])),
          key: appPorts[0]!,
        }),
      );
      egress = await step(
        'egress-sink',
        () => watch.start(),
        (w) => `DNS ${w.dnsServer}, nftables table ${w.table}`,
      );
    }
    const egressArgs = egress ? ['--dns-server', egress.dnsServer] : [];

    const apps = appPorts.map(
      (port, i) =>
        new DoubleAppNode({
          dir: join(dir, 'app'),
          nodeId: `app-${i + 1}`,
          port,
          databaseUrl: `postgres://postgres@${dbAddress}/${DATABASE}`,
          replicaUrl: replicaAddress ? `postgres://postgres@${replicaAddress}/${DATABASE}` : undefined,
          objectStore:
            objectStore && storeAddress
              ? {
                  endpoint: `http://${storeAddress}`,
                  bucket: objectStore.bucket,
                  region: objectStore.region,
                  accessKey: objectStore.accessKey,
                  secretKey: objectStore.secretKey,
                }
              : undefined,
          extraArgs: [...testDoubleArgs(env.testDouble), ...egressArgs, ...(calls?.appArgs ?? [])],
          extraEnv: { ...calls?.appEnv, ...testDoubleEnv(env.testDouble, pushSink.url) },
          ...(egress && { uid: appNodeUid(port) }),
        }),
    );
    // The first node creates the schema; the others start together after it.
    const [first, ...rest] = apps;
    await step(
      first!.nodeId,
      () => track(first!).start(),
      (n) => n.url,
    );
    await Promise.all(
      rest.map((node) =>
        step(
          node.nodeId,
          () => track(node).start(),
          (n) => n.url,
        ),
      ),
    );

    const usersProxied = toxiproxy !== null && proxied('users-lb');
    const entryPort = env.ports.lb || (await freePort());
    const nginx = track(
      new NginxLoadBalancer({
        dir: join(dir, 'nginx'),
        name: 'nginx',
        upstreams: lbUpstreams,
        port: usersProxied ? await freePort() : entryPort,
        clientMaxBodySize: env.loadBalancer.clientMaxBodySize,
        proxyReadTimeoutSeconds: Math.round(parseDuration(env.loadBalancer.proxyReadTimeout) / 1000),
      }),
    );
    await step(
      'nginx',
      () => nginx.start(),
      (n) => n.url,
    );
    const entry = usersProxied
      ? await through('users-lb', 'users-lb', nginx.port, entryPort)
      : `${LOOPBACK}:${nginx.port}`;
    const url = `http://${entry}`;

    await step(
      'admin',
      () => createAdmin(url, env.admin.username, options.adminPassword),
      () => env.admin.username,
    );

    const parts: NativeParts = {
      primary,
      replica,
      objectStore,
      toxiproxy,
      apps,
      nginx,
      calls,
      pushSink,
      egress,
    };
    const document: StackDocument = {
      version: 1,
      name: env.name,
      provider: 'native',
      runDir: dir,
      startedAt: new Date().toISOString(),
      url,
      toxiproxy: toxiproxy?.apiUrl ?? null,
      admin: { username: env.admin.username, passwordEnv: env.admin.passwordEnv },
      appNodes: apps.map((a) => ({ name: a.nodeId, url: a.url, metricsUrl: a.metricsUrl })),
      proxies,
      components: describe(parts),
    };
    if (egress)
      document.egress = {
        table: egress.table,
        attemptsFile: egress.attemptsFile,
        dnsServer: egress.dnsServer,
        components: Object.fromEntries(apps.map((a) => [String(appNodeUid(a.port)), a.nodeId])),
        failOnFinding: env.egressWatch?.failOnFinding ?? true,
      };
    return new NativeStack(document, parts);
  }
}

function describe(p: NativeParts): StackComponent[] {
  const out: StackComponent[] = [
    {
      name: 'postgres-primary',
      kind: 'database',
      url: p.primary.url(DATABASE),
      pid: p.primary.pid,
      log: p.primary.logFile,
    },
  ];
  if (p.replica) {
    out.push({
      name: 'postgres-replica',
      kind: 'database-replica',
      url: p.replica.url(DATABASE),
      pid: p.replica.pid,
      log: p.replica.logFile,
    });
  }
  if (p.objectStore)
    out.push({
      name: 'object-store',
      kind: 'object-store',
      url: p.objectStore.endpoint,
      pid: p.objectStore.pid,
      log: p.objectStore.logFile,
    });
  if (p.toxiproxy)
    out.push({
      name: 'toxiproxy',
      kind: 'toxiproxy',
      url: p.toxiproxy.apiUrl,
      pid: p.toxiproxy.pid,
      log: p.toxiproxy.logFile,
    });
  out.push(...describeCallsTier(p.calls));
  out.push({
    name: 'push-sink',
    kind: 'push-proxy',
    url: p.pushSink.url,
    pid: p.pushSink.pid,
    log: p.pushSink.logFile,
  });
  if (p.egress)
    out.push({
      name: 'egress-sink',
      kind: 'egress-sink',
      url: p.egress.url,
      pid: p.egress.pid,
      log: p.egress.logFile,
    });
  for (const app of p.apps)
    out.push({ name: app.nodeId, kind: 'app', url: app.url, pid: app.pid, log: app.logFile });
  out.push({
    name: 'nginx',
    kind: 'load-balancer',
    url: p.nginx.url,
    pid: p.nginx.pid,
    log: p.nginx.logFile,
  });
  return out;
}

/** The first account on a fresh server becomes system admin. */
async function createAdmin(url: string, username: string, password: string): Promise<void> {
  const client = newClient(url);
  await client.createUser(
    { username, email: `${username}@mmdrill.invalid`, password } as UserProfile,
    '',
    '',
  );
  await client.login(username, password);
}

/** Data directories go; logs stay with the run for the post-mortem. */
export async function removeData(runDir: string): Promise<void> {
  for (const sub of ['postgres-primary/data', 'postgres-replica/data', 'object-store/data']) {
    await rm(join(runDir, sub), { recursive: true, force: true });
  }
}

class NativeStack implements RunningStack {
  readonly dataDirs: Record<string, string>;

  constructor(
    readonly document: StackDocument,
    private readonly parts: NativeParts,
  ) {
    this.dataDirs = { 'postgres-primary': parts.primary.dataDir };
    if (parts.replica) this.dataDirs['postgres-replica'] = parts.replica.dataDir;
  }

  component(name: string): ControllableComponent {
    const info = this.document.components.find((c) => c.name === name);
    const part = this.partNamed(name);
    if (!info || !part) {
      throw new Error(
        `no component "${name}" in this stack (have: ${this.document.components.map((c) => c.name).join(', ')})`,
      );
    }
    return {
      info,
      kill: async () => void (await part.kill()),
      freeze: () => part.freeze(),
      thaw: () => part.thaw(),
      restart: async () => {
        await part.stop();
        await part.start();
      },
      start: async () => void (await part.start()),
    };
  }

  private partNamed(name: string) {
    const p = this.parts;
    if (name === 'postgres-primary') return p.primary;
    if (name === 'postgres-replica') return p.replica;
    if (name === 'object-store') return p.objectStore;
    if (name === 'toxiproxy') return p.toxiproxy;
    if (name === 'nginx') return p.nginx;
    if (name === 'rtcd') return p.calls?.rtcd ?? null;
    if (name === 'coturn') return p.calls?.coturn ?? null;
    if (name === 'push-sink') return p.pushSink;
    if (name === 'egress-sink') return p.egress;
    return p.apps.find((a) => a.nodeId === name) ?? null;
  }

  async promoteReplica(): Promise<void> {
    if (!this.parts.replica) throw new Error('this stack has no replica to promote');
    await this.parts.replica.promote();
  }

  async down(): Promise<void> {
    const p = this.parts;
    await p.nginx.stop();
    await Promise.all(p.apps.map((a) => a.stop()));
    await p.calls?.coturn?.stop();
    await p.calls?.rtcd.stop();
    await p.pushSink.stop();
    await p.egress?.stop();
    await p.toxiproxy?.stop();
    await p.objectStore?.stop();
    await p.replica?.stop();
    await p.primary.stop();
    await removeData(this.document.runDir);
  }

  detach(): void {
    const p = this.parts;
    const calls = [p.calls?.rtcd, p.calls?.coturn];
    for (const part of [
      p.primary,
      p.replica,
      p.objectStore,
      p.toxiproxy,
      ...calls,
      p.pushSink,
      p.egress,
      ...p.apps,
      p.nginx,
    ])
      part?.detach();
  }
}

export function toxiproxyClientFor(document: StackDocument): ToxiproxyClient | null {
  return document.toxiproxy ? new ToxiproxyClient(document.toxiproxy) : null;
}
