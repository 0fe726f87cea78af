import type { ManagedProcess, ProcessExit } from './process.js';

/**
 * A native component that is one ManagedProcess (NGINX, versitygw, Toxiproxy): the lifecycle
 * calls faults and the stack make, delegated to that process. Subclasses set `server` in start().
 */
export abstract class ProcessComponent {
  abstract readonly name: string;
  protected server: ManagedProcess | undefined;

  /** SIGTERM, SIGKILL after the timeout. */
  async stop({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<ProcessExit | undefined> {
    return this.server?.stop({ signal: 'SIGTERM', timeoutMs });
  }

  /** Leaves the process running after this one exits (see ManagedProcess.detach). */
  detach(): void {
    this.server?.detach();
  }

  /** SIGKILL to the process group. */
  async kill(): Promise<ProcessExit | undefined> {
    return this.server?.kill();
  }

  /** SIGSTOP: the port stays open, nothing answers. Resolves once stopped. */
  async freeze(): Promise<void> {
    await this.assertStarted().freeze();
  }

  async thaw(): Promise<void> {
    await this.assertStarted().thaw();
  }

  protected assertStarted(): ManagedProcess {
    if (!this.server) throw new Error(`${this.name} has not been started`);
    return this.server;
  }
}
