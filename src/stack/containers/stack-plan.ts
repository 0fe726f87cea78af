import type { ContainersEnvironment } from '../environment.js';
import type { StackComponent, StackDocument } from '../stack-document.js';
import type { ContainerPlan, PlanContext } from './container-plan.js';
import type { HostPorts } from './host-ports.js';
import { MAX_OPEN_CONNS_PER_NODE, planMattermostNode, usersUrl } from './mattermost.js';
import { planNginx } from './nginx.js';
import { BUCKET, planObjectStore } from './object-store.js';
import { planPostgresPrimary, planPostgresReplica } from './postgres.js';
import { planRtcd } from './rtcd.js';
import type { StackSecrets } from './secrets.js';
import { type ProxyPlan, planProxies } from './topology.js';
import { planToxiproxy } from './toxiproxy.js';

// The whole containers stack as data: every container in start order, the Toxiproxy proxies and
// the bucket to create, and (once started) the stack document. Pure: no runtime, no I/O.

/** Labels on every container and the network, so a stack can be found (and removed) by them. */
export const LABELS = {
  stack: 'org.mmdrill.stack',
  runDir: 'org.mmdrill.run-dir',
  component: 'org.mmdrill.component',
} as const;

export interface ContainersPlanInput {
  env: ContainersEnvironment;
  secrets: StackSecrets;
  hostPorts: HostPorts;
  /** Unique per stack: names its network and containers. */
  stackId: string;
  runDir: string;
  license?: string;
}

export interface ContainersStackPlan {
  stackId: string;
  /** The stack's own bridge network. */
  network: string;
  networkLabels: Record<string, string>;
  /** In start order: PostgreSQL primary, replica, object store, Toxiproxy, app nodes, NGINX. */
  containers: ContainerPlan[];
  proxies: ProxyPlan[];
  /** Bucket to create once the object store answers; null without one. */
  bucket: string | null;
  usersUrl: string;
  toxiproxyApiUrl: string | null;
}

export function planContainersStack(input: ContainersPlanInput): ContainersStackPlan {
  const { env, stackId, runDir } = input;
  const proxies = planProxies(env, input.hostPorts.users);
  const stackLabels = { [LABELS.stack]: stackId, [LABELS.runDir]: runDir };
  const ctx: PlanContext = {
    env,
    secrets: input.secrets,
    hostPorts: input.hostPorts,
    proxies,
    labels: (component) => ({ ...stackLabels, [LABELS.component]: component }),
    containerName: (component) => `mmdrill-${stackId}-${component}`,
    ...(input.license ? { license: input.license } : {}),
  };
  const containers = [planPostgresPrimary(ctx, MAX_OPEN_CONNS_PER_NODE)];
  if (env.database.replica) containers.push(planPostgresReplica(ctx, MAX_OPEN_CONNS_PER_NODE));
  if (env.objectStore.enabled) containers.push(planObjectStore(ctx));
  const toxiproxy = proxies.length > 0 ? planToxiproxy(ctx) : null;
  if (toxiproxy) containers.push(toxiproxy);
  if (env.calls.enabled) containers.push(planRtcd(ctx));
  for (let i = 1; i <= env.appNodes; i++) containers.push(planMattermostNode(ctx, i));
  containers.push(planNginx(ctx));
  return {
    stackId,
    network: `mmdrill-${stackId}`,
    networkLabels: stackLabels,
    containers,
    proxies,
    bucket: env.objectStore.enabled ? BUCKET : null,
    usersUrl: usersUrl(ctx),
    toxiproxyApiUrl: toxiproxy?.url ?? null,
  };
}

export interface StackDescriptionInput {
  env: ContainersEnvironment;
  runDir: string;
  startedAt: Date;
  /** Container id of each started component, by name. */
  containerIds: ReadonlyMap<string, string>;
  /** Path of each component's log file. */
  logFile: (component: string) => string;
}

/** The stack document (`mmdrill stack up --json`) of a started plan. Carries no secret. */
export function describeStack(plan: ContainersStackPlan, input: StackDescriptionInput): StackDocument {
  const components: StackComponent[] = plan.containers.map((c) => {
    const containerId = input.containerIds.get(c.name);
    if (containerId === undefined) throw new Error(`${c.name} has no container id: was it started?`);
    return {
      name: c.name,
      kind: c.kind,
      ...(c.url ? { url: c.url } : {}),
      containerId,
      log: input.logFile(c.name),
    };
  });
  return {
    version: 1,
    name: input.env.name,
    provider: 'containers',
    runDir: input.runDir,
    startedAt: input.startedAt.toISOString(),
    url: plan.usersUrl,
    toxiproxy: plan.toxiproxyApiUrl,
    admin: { username: input.env.admin.username, passwordEnv: input.env.admin.passwordEnv },
    appNodes: plan.containers
      .filter((c) => c.kind === 'app')
      .map((c) => ({ name: c.name, url: c.url!, ...(c.metricsUrl ? { metricsUrl: c.metricsUrl } : {}) })),
    proxies: plan.proxies.map((p) => ({ name: p.name, link: p.link, listen: p.dial, upstream: p.upstream })),
    components,
  };
}
