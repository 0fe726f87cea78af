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

/** Seconds a graceful stop waits before SIGKILL (PostgreSQL's fast shutdown needs a moment). */
const STOP_TIMEOUT_SECONDS = 10;

export class ContainerComponent implements ControllableComponent {
  private readonly container: DockerContainer;

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

  async freeze(): Promise<void> {
    await this.container.pause();
  }

  async thaw(): Promise<void> {
    await this.container.unpause();
  }

  async restart(): Promise<void> {
    await this.client.container.restart(this.container, { timeout: STOP_TIMEOUT_SECONDS });
    await this.whenReady();
  }

  async start(): Promise<void> {
    await this.client.container.start(this.container);
    await this.whenReady();
  }

  /** Graceful stop (for `down`); the container stays until removed. */
  async stop(): Promise<void> {
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
