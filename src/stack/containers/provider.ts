import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ContainerRuntimeClient,
  getContainerRuntimeClient,
  type StartedTestContainer,
} from 'testcontainers';
import { LOOPBACK } from '../../common/loopback.js';
import type { ContainersEnvironment, ContainersSettings, Environment } from '../environment.js';
import { healthOfDetached, stopDetachedProcesses } from '../native/detached.js';
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
import { ContainerComponent, LogTap } from './container-component.js';
import { type ContainerPlan, startWaves } from './container-plan.js';
import { allocateHostPorts } from './host-ports.js';
import { PROMOTE_COMMAND, PROMOTE_USER } from './postgres.js';
import { probeContainerRuntime } from './runtime-probe.js';
import { generateSecrets, redact, redactError, secretValues } from './secrets.js';
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

  status(stack: DetachedStack): Promise<ComponentHealth[]> {
    return healthOfDetached(stack);
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

/** One `up`: remembers what it started so that a failure or an abort removes all of it. */
class StackStart {
  private readonly started = new Map<string, StartedTestContainer>();
  private readonly logs = new Map<string, LogTap>();
  private readonly inFlight = new Set<Promise<unknown>>();

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
    // Removing the stack's containers makes in-flight starts fail at once (their wait ends).
    const onAbort = () =>
      void removeStack(this.client, LABELS.stack, this.plan.stackId).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.bringUp();
    } catch (error) {
      await removeStack(this.client, LABELS.stack, this.plan.stackId).catch(() => undefined);
      await Promise.allSettled([...this.inFlight]);
      // Again: a start that was pulling its image during the first sweep created its container since.
      await removeStack(this.client, LABELS.stack, this.plan.stackId).catch(() => undefined);
      for (const tap of this.logs.values()) tap.close();
      throw signal?.aborted ? new StackAbortedError() : redactError(error, this.hidden);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async bringUp(): Promise<RunningStack> {
    const { plan, env } = this;
    await this.step('network', async () => {
      await this.client.network.create({ Name: plan.network, Driver: 'bridge', Labels: plan.networkLabels });
      return plan.network;
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
      const start = new PlannedContainer(plan, this.plan.network, tap.attach).start();
      this.inFlight.add(start);
      try {
        this.started.set(plan.name, await start);
      } finally {
        this.inFlight.delete(start);
      }
      if (this.options.signal?.aborted) throw new StackAbortedError();
      await this.steps.onFirstStart(plan.name);
      return `${plan.image}${plan.url ? ` at ${plan.url}` : ''}`;
    });
  }

  private async step(component: string, run: () => Promise<string>): Promise<void> {
    if (this.options.signal?.aborted) throw new StackAbortedError();
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
    await docker
      .getContainer(component.containerId)
      .stop({ t: 10 })
      .catch(() => undefined);
  }
  await removeStack(client, LABELS.runDir, document.runDir);
}
