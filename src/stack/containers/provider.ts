import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ContainerRuntimeClient,
  getContainerRuntimeClient,
  type StartedTestContainer,
} from 'testcontainers';
import { LOOPBACK } from '../../common/loopback.js';
import type { ContainersEnvironment, ContainersSettings, Environment } from '../environment.js';
import { stopDetachedProcesses } from '../native/detached.js';
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
import type { StackDocument } from '../stack-document.js';
import { ensureAdmin } from './admin-account.js';
import { type AfterStartSteps, afterStartSteps } from './after-start.js';
import { PlannedContainer } from './container-builder.js';
import { ContainerComponent, LogTap, wakeForStop } from './container-component.js';
import { healthOfContainers } from './container-health.js';
import { type ContainerPlan, startWaves } from './container-plan.js';
import { allocateHostPorts } from './host-ports.js';
import { PROMOTE_COMMAND, PROMOTE_USER } from './postgres.js';
import { probeContainerRuntime } from './runtime-probe.js';
import { generateSecrets, redact, redactError, secretValues } from './secrets.js';
import { createStackNetwork, type StackNetwork } from './stack-network.js';
import { type ContainersStackPlan, describeStack, LABELS, planContainersStack } from './stack-plan.js';

// The containers provider: the sovereign topology with real Mattermost, through Testcontainers
// (Docker or Podman). Plans come from stack-plan.ts; this file only runs them: a network, the
// containers wave by wave in dependency order, the steps after each start, the admin account.

export interface ContainersProviderOptions {
  /** Overrides env.containers.images (e.g. a local mirror). */
  images?: Partial<ContainersSettings['images']>;
  /** Mattermost Enterprise license (file contents); default: $MM_LICENSE. Needed for HA and metrics. */
  license?: string;
}

export class ContainersProvider implements StackProvider {
  constructor(private readonly options: ContainersProviderOptions = {}) {}

  /** Containers outlive their PIDs' visibility here: assume they may run until `down`. */
  stillRunning(): boolean {
    return true;
  }

  async status(stack: DetachedStack): Promise<ComponentHealth[]> {
    return healthOfContainers(await runtimeClient(), stack);
  }

  async down(stack: DetachedStack, progress?: (stopped: ComponentStopped) => void): Promise<void> {
    await removeContainersOf(stack.document);
    await stopDetachedProcesses(stack, progress);
  }

  async up(env: Environment, options: UpOptions): Promise<RunningStack> {
    if (env.provider !== 'containers')
      throw new Error(`containers provider given a ${env.provider} environment`);
    if (options.signal?.aborted) throw new StackAbortedError();
    const images = { ...env.containers.images, ...this.options.images };
    const stackEnv: ContainersEnvironment = { ...env, containers: { ...env.containers, images } };
    const license = this.options.license ?? process.env.MM_LICENSE;
    const secrets = generateSecrets();
    const hidden = [...secretValues(secrets), options.adminPassword, ...(license ? [license] : [])];
    const plan = planContainersStack({
      env: stackEnv,
      secrets,
      hostPorts: await allocateHostPorts(stackEnv),
      stackId: `${env.name}-${randomBytes(3).toString('hex')}`,
      runDir: options.runDir,
      ...(license ? { license } : {}),
    });
    const client = await runtimeClient();
    const steps = afterStartSteps(plan, {
      accessKeyId: secrets.objectStoreAccessKey,
      secretAccessKey: secrets.objectStoreSecretKey,
    });
    return new StackStart(client, plan, stackEnv, options, steps, hidden).run();
  }
}

async function runtimeClient(): Promise<ContainerRuntimeClient> {
  // Every port is published on 127.0.0.1 only, so that is where wait strategies must dial.
  // Without this Testcontainers may pick the runtime's bridge gateway (Podman's 10.88.0.1 here),
  // where nothing listens, and every HTTP wait times out.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= LOOPBACK;
  // Testcontainers looks for Docker's sockets only; Podman's (found by the probe) must be named.
  if (!process.env.DOCKER_HOST) {
    const found = await probeContainerRuntime();
    if (found.dockerHost) process.env.DOCKER_HOST = found.dockerHost;
  }
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    const probe = await probeContainerRuntime();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the containers provider needs Docker or Podman: ${probe.reason} (Testcontainers: ${why})`,
    );
  }
}

/** How long a sweep after an abort waits for a create request the runtime is still serving. */
const CREATE_GRACE_MS = 15_000;

/** Rejects with StackAbortedError once `signal` aborts; never settles otherwise. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new StackAbortedError());
    else signal.addEventListener('abort', () => reject(new StackAbortedError()), { once: true });
  });
}

/**
 * One `up`: remembers what it started so that a failure or an abort removes all of it. An abort
 * does not wait for in-flight starts (a wait strategy may poll a removed container for minutes):
 * it stops them from creating containers, and sweeps by label until none is mid-create.
 */
class StackStart {
  private readonly started = new Map<string, StartedTestContainer>();
  private readonly logs = new Map<string, LogTap>();
  private readonly starts: PlannedContainer[] = [];
  /** Aborted by the caller's signal or by the first failure: no start goes on after either. */
  private readonly stop = new AbortController();
  private network: StackNetwork | undefined;

  constructor(
    private readonly client: ContainerRuntimeClient,
    private readonly plan: ContainersStackPlan,
    private readonly env: ContainersEnvironment,
    private readonly options: UpOptions,
    private readonly steps: AfterStartSteps,
    private readonly hidden: string[],
  ) {}

  async run(): Promise<RunningStack> {
    const { signal } = this.options;
    const onAbort = () => this.stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) this.stop.abort();
    try {
      return await this.bringUp();
    } catch (error) {
      this.stop.abort();
      await this.removeAll();
      for (const tap of this.logs.values()) tap.close();
      throw signal?.aborted ? new StackAbortedError() : redactError(error, this.hidden);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sweeps by label until a sweep began after every container this `up` asked for was created
   * (or its creation failed). A start still preparing cannot create one any more: it is stopped.
   */
  private async removeAll(): Promise<void> {
    const deadline = Date.now() + CREATE_GRACE_MS;
    for (;;) {
      const sweptFrom = Date.now();
      await removeStack(this.client, LABELS.stack, this.plan.stackId).catch(() => undefined);
      const unseen = this.starts.some(
        (c) => c.phase !== 'preparing' && (c.createdAt === undefined || c.createdAt >= sweptFrom),
      );
      if (!unseen || Date.now() > deadline) return;
      await sleep(100);
    }
  }

  private async bringUp(): Promise<RunningStack> {
    const { plan, env } = this;
    await this.step('network', async () => {
      this.network = await createStackNetwork(this.client, plan.network, plan.networkLabels, plan.containers);
      return `${plan.network} (${this.network.subnet})`;
    });
    for (const wave of startWaves(plan.containers)) {
      await Promise.all(wave.map((container) => this.startContainer(container)));
    }
    await this.step('admin', async () => {
      await ensureAdmin(plan.usersUrl, env.admin.username, this.options.adminPassword, this.options.signal);
      return `${env.admin.username} at ${plan.usersUrl}`;
    });
    const document = describeStack(plan, {
      env,
      runDir: this.options.runDir,
      startedAt: new Date(),
      containerIds: new Map([...this.started].map(([name, c]) => [name, c.getId()])),
      logFile: (name) => this.logs.get(name)!.file,
    });
    const components = new Map(
      plan.containers.map((c) => {
        const info = document.components.find((d) => d.name === c.name)!;
        const onRestart = () => this.steps.onRestart(c.name);
        const tap = this.logs.get(c.name)!;
        return [c.name, new ContainerComponent(info, c, this.client, info.containerId!, tap, onRestart)];
      }),
    );
    return new ContainersStack(document, components, this.client, plan.stackId);
  }

  private async startContainer(plan: ContainerPlan): Promise<void> {
    await this.step(plan.name, async () => {
      const dir = join(this.options.runDir, plan.name);
      await mkdir(dir, { recursive: true });
      const tap = new LogTap(join(dir, 'container.log'));
      this.logs.set(plan.name, tap);
      const placement = this.network?.placements.get(plan.name);
      const container = new PlannedContainer(
        plan,
        this.plan.network,
        tap.attach,
        this.stop.signal,
        placement,
      );
      this.starts.push(container);
      const start = container.start();
      // Settled, or failed while creating: either way the container exists by now or never will.
      start.then(
        () => undefined,
        () => {
          container.createdAt ??= Date.now();
        },
      );
      this.started.set(plan.name, await Promise.race([start, whenAborted(this.stop.signal)]));
      await this.steps.onFirstStart(plan.name);
      return `${plan.image}${plan.url ? ` at ${plan.url}` : ''}`;
    });
  }

  private async step(component: string, run: () => Promise<string>): Promise<void> {
    if (this.stop.signal.aborted) throw new StackAbortedError();
    this.options.progress?.({ component, phase: 'starting' });
    const t0 = Date.now();
    const detail = await run();
    this.options.progress?.({
      component,
      phase: 'ready',
      ms: Date.now() - t0,
      detail: redact(detail, this.hidden),
    });
  }
}

class ContainersStack implements RunningStack {
  readonly promoteReplica?: () => Promise<void>;

  constructor(
    readonly document: StackDocument,
    private readonly components: ReadonlyMap<string, ContainerComponent>,
    private readonly client: ContainerRuntimeClient,
    private readonly stackId: string,
  ) {
    const replica = [...components.values()].find((c) => c.info.kind === 'database-replica');
    if (replica) {
      this.promoteReplica = async () => {
        const result = await replica.exec(PROMOTE_COMMAND, PROMOTE_USER);
        if (result.exitCode !== 0) {
          throw new Error(
            `promoting ${replica.info.name} failed (exit ${result.exitCode}): ${result.output.trim()}`,
          );
        }
      };
    }
  }

  component(name: string): ControllableComponent {
    const component = this.components.get(name);
    if (!component) {
      throw new Error(
        `no component "${name}" in this stack (have: ${[...this.components.keys()].join(', ')})`,
      );
    }
    return component;
  }

  /** Graceful stops in reverse start order, then every container, its volumes and the network go. */
  async down(): Promise<void> {
    for (const component of [...this.components.values()].reverse()) {
      await component.stop().catch(() => undefined);
      component.closeLogs();
    }
    await removeStack(this.client, LABELS.stack, this.stackId);
  }

  /** Containers outlive this process (no reaper watches them); only the log followers stop. */
  detach(): void {
    for (const component of this.components.values()) component.closeLogs();
  }
}

/**
 * Removes every container (with its anonymous volumes) and network carrying the label: what a
 * stack created, including containers a start created after an abort. Throws if any remains.
 */
async function removeStack(client: ContainerRuntimeClient, label: string, value: string): Promise<void> {
  const docker = client.container.dockerode;
  const filters = { label: [`${label}=${value}`] };
  const failures: string[] = [];
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((error: { statusCode?: number; message?: string }) => {
          if (error.statusCode !== 404) failures.push(`container ${c.Names[0] ?? c.Id}: ${error.message}`);
        }),
    ),
  );
  for (const network of await docker.listNetworks({ filters })) {
    await docker
      .getNetwork(network.Id)
      .remove()
      .catch((error: { statusCode?: number; message?: string }) => {
        if (error.statusCode !== 404) failures.push(`network ${network.Name}: ${error.message}`);
      });
  }
  if (failures.length > 0) throw new Error(`could not remove ${failures.join('; ')}`);
}

/**
 * `mmdrill stack down` for a stack another process started and left running: everything labelled
 * with the document's run directory (containers, volumes, network) is removed.
 */
export async function removeContainersOf(document: StackDocument): Promise<void> {
  const client = await runtimeClient();
  const docker = client.container.dockerode;
  // Graceful first, in reverse start order, so PostgreSQL shuts down cleanly.
  for (const component of [...document.components].reverse()) {
    if (!component.containerId) continue;
    const container = docker.getContainer(component.containerId);
    await wakeForStop(container);
    await container.stop({ t: 10 }).catch(() => undefined);
  }
  await removeStack(client, LABELS.runDir, document.runDir);
}
