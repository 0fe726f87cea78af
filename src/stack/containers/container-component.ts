import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { ContainerRuntimeClient } from 'testcontainers';
import type { ControllableComponent } from '../provider.js';
import type { StackComponent } from '../stack-document.js';
import { boundPortsOf, toWaitStrategy } from './container-builder.js';
import type { ContainerPlan } from './container-plan.js';

// One container of a running stack, as faults see it: kill (SIGKILL), freeze (pause: the
// cgroup freezer), restart (graceful stop, start), start (after a kill). Ports and data survive
// all of them: host ports are fixed, and data lives in the container and its volumes.

type DockerContainer = ReturnType<ContainerRuntimeClient['container']['getById']>;
type DockerodeContainer = ReturnType<ContainerRuntimeClient['container']['dockerode']['getContainer']>;

/**
 * Wakes a container before a graceful stop: the stop signal of a container frozen by SIGSTOP
 * waits behind it until the stop timeout (then SIGKILL), and a paused one cannot be stopped on
 * Podman. A paused container is unpaused; a running one gets SIGCONT, which does nothing to a
 * process that is not stopped — so this also serves `stack down` from another process, which
 * cannot know what a drill froze. Best effort: the stop (or removal) follows either way.
 */
export async function wakeForStop(container: DockerodeContainer): Promise<void> {
  try {
    const state = (await container.inspect()).State;
    if (state.Paused) await container.unpause();
    else if (state.Running) await container.kill({ signal: 'SIGCONT' });
  } catch {
    // Gone or stopped meanwhile: nothing to wake.
  }
}

/** Follows a container's output into its log file, across restarts (each start needs a new follow). */
export class LogTap {
  private readonly out: WriteStream;
  private current: Readable | undefined;

  constructor(readonly file: string) {
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', () => undefined);
  }

  /** Testcontainers' log consumer signature. */
  readonly attach = (stream: Readable): void => {
    this.current?.destroy();
    this.current = stream;
    stream.on('data', (chunk: string | Buffer) => this.out.write(chunk));
    stream.on('error', () => undefined);
  };

  close(): void {
    this.current?.destroy();
    this.current = undefined;
    this.out.end();
  }
}

/** How Podman refuses to pause a container run without cgroups. */
const CGROUPLESS = /without using cgroups|does not have a cgroup/i;

function errorMessage(error: unknown): string {
  const json = (error as { json?: { message?: string; cause?: string } }).json;
  return [error instanceof Error ? error.message : String(error), json?.message, json?.cause].join(' ');
}

/** Seconds a graceful stop waits before SIGKILL (PostgreSQL's fast shutdown needs a moment). */
const STOP_TIMEOUT_SECONDS = 10;

export class ContainerComponent implements ControllableComponent {
  private readonly container: DockerContainer;
  private frozenBy: 'pause' | 'signal' | null = null;

  constructor(
    readonly info: StackComponent,
    readonly plan: ContainerPlan,
    private readonly client: ContainerRuntimeClient,
    containerId: string,
    private readonly logs: LogTap,
    /** Re-done after every start: proxies live in Toxiproxy's memory only. */
    private readonly afterStart: () => Promise<void>,
  ) {
    this.container = client.container.getById(containerId);
  }

  async kill(): Promise<void> {
    await this.container.kill();
  }

  /**
   * Pause (the cgroup freezer). A runtime whose containers have no cgroup (Podman with
   * `cgroups = "disabled"`, as on hosts mixing cgroup v1 and v2) cannot pause: there the
   * container's main process gets SIGSTOP instead, which the kernel delivers even to a PID
   * namespace's init when it comes from outside. Only that process stops, not its children —
   * enough for single-process services such as the app tier; docs/containers.md says so.
   */
  async freeze(): Promise<void> {
    try {
      await this.container.pause();
      this.frozenBy = 'pause';
    } catch (error) {
      if (!CGROUPLESS.test(errorMessage(error))) throw error;
      await this.container.kill({ signal: 'SIGSTOP' });
      this.frozenBy = 'signal';
    }
  }

  async thaw(): Promise<void> {
    if (this.frozenBy === 'signal') await this.container.kill({ signal: 'SIGCONT' });
    else await this.container.unpause();
    this.frozenBy = null;
  }

  async restart(): Promise<void> {
    await this.client.container.restart(this.container, { timeout: STOP_TIMEOUT_SECONDS });
    await this.whenReady();
  }

  async start(): Promise<void> {
    await this.client.container.start(this.container);
    await this.whenReady();
  }

  /** Graceful stop (for `down`, also of a frozen container); the container stays until removed. */
  async stop(): Promise<void> {
    await wakeForStop(this.client.container.dockerode.getContainer(this.container.id));
    this.frozenBy = null;
    await this.client.container.stop(this.container, { timeout: STOP_TIMEOUT_SECONDS });
  }

  async exec(command: string[], user?: string): Promise<{ exitCode: number; output: string }> {
    return this.client.container.exec(this.container, command, { log: false, ...(user ? { user } : {}) });
  }

  closeLogs(): void {
    this.logs.close();
  }

  /**
   * The plan's wait strategy again, on logs since this start. Called directly rather than through
   * Testcontainers' waitForContainer, which removes a container that fails to become ready: after a
   * fault that is the drill's finding, not a reason to destroy the evidence.
   */
  private async whenReady(): Promise<void> {
    const inspect = await this.client.container.inspect(this.container);
    const startedAt = new Date(inspect.State.StartedAt);
    this.logs.attach(
      await this.client.container.logs(this.container, { since: Math.floor(startedAt.getTime() / 1000) }),
    );
    const wait = toWaitStrategy(this.plan.wait, this.plan.startupTimeoutMs);
    await wait.waitUntilReady(this.container, boundPortsOf(this.plan), startedAt);
    await this.afterStart();
  }
}
