import type { ContainersEnvironment } from '../environment.js';
import type { StackComponent } from '../stack-document.js';
import type { HostPorts } from './host-ports.js';
import type { StackSecrets } from './secrets.js';
import type { ProxyPlan } from './topology.js';

// What the containers provider will run, as plain data: one ContainerPlan per container. The plan
// layer computes these from an environment without touching a container runtime, so every image,
// setting, alias, port and wait strategy can be checked by unit tests; the runtime layer
// (container-builder.ts, provider.ts) only turns them into Testcontainers calls.

/** How to tell that a container is ready, described as data (see toWaitStrategy). */
export type WaitPlan =
  /** An HTTP GET on a container port (through its published port) answers `status`. */
  | { kind: 'http'; path: string; port: number; status: number }
  /** A line matching `pattern` (a regular expression source) appeared `times` times in the log. */
  | { kind: 'log'; pattern: string; times: number }
  /** A shell command run inside the container exits 0. */
  | { kind: 'command'; command: string }
  /** Every published port accepts connections, inside the container and on the host. */
  | { kind: 'ports' }
  /** All of these, in parallel. */
  | { kind: 'all'; of: WaitPlan[] };

/** A container port published on 127.0.0.1 at a host port fixed before start (stable across restarts). */
export interface PublishedPort {
  container: number;
  host: number;
}

/** A file written into the container before it starts. */
export interface FileCopy {
  /** Absolute path inside the container. */
  target: string;
  content: string;
  mode: number;
}

export interface ContainerPlan {
  /** The component's name in the stack document (`app-2`, `postgres-primary`, …). */
  name: string;
  kind: StackComponent['kind'];
  /** The container's name on the runtime: unique per stack, so `docker ps` tells stacks apart. */
  containerName: string;
  image: string;
  /** The only place a secret may appear in a plan. */
  env: Record<string, string>;
  /** Replaces the image's entrypoint; absent: the image's own. */
  entrypoint?: string[];
  /** Replaces the image's command; absent: the image's own. */
  command?: string[];
  /** Names other containers reach this one by on the stack's network. */
  networkAliases: string[];
  published: PublishedPort[];
  files: FileCopy[];
  wait: WaitPlan;
  startupTimeoutMs: number;
  /** Components that must be ready (and their after-start steps done) before this one starts. */
  dependsOn: string[];
  labels: Record<string, string>;
  /** Where the component answers on the host (direct, not through Toxiproxy). */
  url?: string;
  /** App nodes: their Prometheus endpoint on the host. */
  metricsUrl?: string;
}

/** Everything a service module needs to plan its container(s). */
export interface PlanContext {
  env: ContainersEnvironment;
  secrets: StackSecrets;
  hostPorts: HostPorts;
  /** The stack's Toxiproxy proxies; empty without Toxiproxy. */
  proxies: readonly ProxyPlan[];
  /** Labels for a component's container (stack id, run directory, component name). */
  labels: (component: string) => Record<string, string>;
  /** Container name for a component. */
  containerName: (component: string) => string;
  /** Mattermost Enterprise license (file contents) for MM_LICENSE; absent: unlicensed. */
  license?: string;
}

/**
 * Groups plans into waves that can start together: every plan's dependencies are in earlier
 * waves. Within a wave, plans keep their list order. Throws on an unknown dependency or a cycle.
 */
export function startWaves(plans: readonly ContainerPlan[]): ContainerPlan[][] {
  const names = new Set(plans.map((p) => p.name));
  for (const plan of plans) {
    for (const dependency of plan.dependsOn) {
      if (!names.has(dependency))
        throw new Error(`${plan.name} depends on ${dependency}, which is not in the plan`);
    }
  }
  const placed = new Set<string>();
  const waves: ContainerPlan[][] = [];
  let remaining = [...plans];
  while (remaining.length > 0) {
    const wave = remaining.filter((p) => p.dependsOn.every((d) => placed.has(d)));
    if (wave.length === 0) {
      throw new Error(`dependency cycle among ${remaining.map((p) => p.name).join(', ')}`);
    }
    for (const plan of wave) placed.add(plan.name);
    remaining = remaining.filter((p) => !placed.has(p.name));
    waves.push(wave);
  }
  return waves;
}
