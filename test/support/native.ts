import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPidAlive } from '../../src/stack/native/procfs.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';

// Fixtures for suites that run native components (PostgreSQL, versitygw, ...) for real.

/** Anything the ledger can kill at teardown (clusters, gateways, processes). */
export interface StoppableComponent {
  kill(): Promise<unknown>;
}

export { createRunDir };

/**
 * Records what a test started so that afterEach can kill it all and then prove that none of
 * its processes survived.
 */
export class ProcessLedger {
  private readonly components: StoppableComponent[] = [];
  private readonly pids = new Set<number>();
  private readonly dirs: string[] = [];

  /** Registers a component for teardown; returns it for chaining. */
  component<T extends StoppableComponent>(component: T): T {
    this.components.push(component);
    return component;
  }

  /** Remembers PIDs seen during the test (postmasters, backends, gateways...). */
  pid(...pids: number[]): void {
    for (const pid of pids) this.pids.add(pid);
  }

  async runDir(prefix?: string): Promise<string> {
    const dir = await createRunDir(prefix);
    this.dirs.push(dir);
    return dir;
  }

  /** Kills every component, then returns the recorded PIDs still alive after a short grace. */
  async teardown(): Promise<number[]> {
    const components = this.components.splice(0);
    await Promise.allSettled(components.map((component) => component.kill()));
    const deadline = Date.now() + 2_000;
    let alive = [...this.pids].filter(isPidAlive);
    while (alive.length > 0 && Date.now() < deadline) {
      await sleep(50);
      alive = alive.filter(isPidAlive);
    }
    this.pids.clear();
    await Promise.all(this.dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    return alive;
  }
}
