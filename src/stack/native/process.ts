import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerLiveProcess, unregisterLiveProcess } from './process-registry.js';
import { waitUntilStopped } from './procfs.js';
import { pollUntilReady, type WaitStrategy } from './wait.js';

export interface ManagedProcessOptions {
  /** Short name used in errors and the log header, e.g. 'postgres-primary'. */
  name: string;
  /** Absolute path of the binary (or a name found on PATH). */
  command: string;
  args?: readonly string[];
  /** The complete environment of the child; default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user/group (needs root). The binary itself runs, so `pid` is the server's PID. */
  uid?: number;
  gid?: number;
  /** stdout and stderr are appended here, across restarts. */
  logFile: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StopOptions {
  /** The polite signal; default SIGTERM. */
  signal?: NodeJS.Signals;
  /** How long to wait for it before SIGKILL; default 10 s. */
  timeoutMs?: number;
}

const LOG_TAIL_BYTES = 64 * 1024;

function describeExit(exit: ProcessExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

class ExitedWhileWaitingError extends Error {
  constructor(readonly exit: ProcessExit) {
    super(`exited (${describeExit(exit)})`);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is empty: nothing left to signal.
  }
}

/**
 * One OS process started from a binary. It leads its own process group, so signals for kill,
 * freeze and thaw reach helpers it forks without setsid(). `start()` may be called again once
 * the previous run has exited; `pid` and `exited` then refer to the new run.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<ProcessExit> | undefined;
  private lastExit: ProcessExit | undefined;
  private logOffset = 0;
  private readonly registryEntry = { killNow: () => this.killGroup('SIGKILL') };

  constructor(readonly options: ManagedProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  /** PID of the current (or latest) run. */
  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined) throw new Error(`${this.name} has not been started`);
    return pid;
  }

  /** Resolves when the current run exits; never rejects. */
  get exited(): Promise<ProcessExit> {
    if (!this.exitPromise) throw new Error(`${this.name} has not been started`);
    return this.exitPromise;
  }

  /** Exit status of the latest run, once it has exited. */
  get exitStatus(): ProcessExit | undefined {
    return this.lastExit;
  }

  /** True from a successful start until the exit is observed (a frozen process is alive). */
  isAlive(): boolean {
    return this.child !== undefined && this.lastExit === undefined;
  }

  async start(): Promise<this> {
    if (this.isAlive()) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    const { command, args = [], logFile } = this.options;
    await mkdir(dirname(logFile), { recursive: true });
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      writeSync(
        fd,
        `\n--- mmdrill ${new Date().toISOString()} starting ${this.name}: ${command} ${args.join(' ')}\n`,
      );
      this.logOffset = fstatSync(fd).size;
      // The child writes straight into the file: no pipes to drain, output survives a busy parent.
      child = spawn(command, args, {
        cwd: this.options.cwd,
        env: this.options.env ?? process.env,
        uid: this.options.uid,
        gid: this.options.gid,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.lastExit = { code, signal };
        unregisterLiveProcess(this.registryEntry);
        resolve(this.lastExit);
      });
    });
    // A failed spawn (ENOENT, EACCES) leaves the previous run's state untouched.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(new Error(`${this.name}: cannot start ${command}: ${error.message}`)),
      );
    });
    // Later 'error' events (a failed signal) must not crash the harness; `exited` tells the story.
    child.on('error', () => undefined);
    this.child = child;
    this.lastExit = undefined;
    this.exitPromise = exited;
    registerLiveProcess(this.registryEntry);
    return this;
  }

  /**
   * Waits until `strategy` holds. Fails at once, with the log tail, if the process exits first;
   * fails after `timeoutMs` with the log tail otherwise.
   */
  async waitFor(strategy: WaitStrategy, timeoutMs = 30_000): Promise<this> {
    const exitedEarly = this.exited.then((exit): never => {
      throw new ExitedWhileWaitingError(exit);
    });
    exitedEarly.catch(() => undefined);
    const context = { readLogSinceStart: () => this.readLogSinceStart() };
    try {
      await pollUntilReady(strategy, context, timeoutMs, exitedEarly);
    } catch (error) {
      const reason =
        error instanceof ExitedWhileWaitingError
          ? `exited (${describeExit(error.exit)}) while waiting for ${strategy.description}`
          : error instanceof Error
            ? error.message
            : String(error);
      throw new Error(
        `${this.name}: ${reason}\n--- last lines of ${this.logFile} ---\n${await this.logTail()}`,
      );
    }
    return this;
  }

  /** Sends `signal` (after SIGCONT, in case it is frozen), then SIGKILL after `timeoutMs`. */
  async stop({ signal = 'SIGTERM', timeoutMs = 10_000 }: StopOptions = {}): Promise<ProcessExit | undefined> {
    if (!this.isAlive()) return this.lastExit;
    this.killGroup('SIGCONT');
    this.signal(signal);
    // An unref'd timer: a process that stopped in time must not keep Node alive for the rest of it.
    const exit = await Promise.race([
      this.exited,
      sleep(timeoutMs, undefined, { ref: false }).then(() => undefined),
    ]);
    if (exit === undefined) return this.kill();
    // Helpers that shared the group must not linger after the leader is gone.
    this.killGroup('SIGKILL');
    return exit;
  }

  /** SIGKILL to the whole process group; resolves once the leader's exit is observed. */
  async kill(): Promise<ProcessExit | undefined> {
    if (!this.child) return undefined;
    this.killGroup('SIGKILL');
    return this.exited;
  }

  /**
   * Lets the process outlive this one (`mmdrill stack up` leaves the stack running): it leaves
   * the kill-on-exit registry and no longer holds Node's event loop open.
   */
  detach(): void {
    unregisterLiveProcess(this.registryEntry);
    this.child?.unref();
  }

  /** SIGSTOP to the process group: it holds its sockets but answers nothing. Resolves once stopped. */
  async freeze(): Promise<void> {
    this.assertAlive('freeze');
    this.killGroup('SIGSTOP');
    await waitUntilStopped([this.pid], true);
  }

  /** SIGCONT to the process group. Resolves once it runs again. */
  async thaw(): Promise<void> {
    this.assertAlive('thaw');
    this.killGroup('SIGCONT');
    await waitUntilStopped([this.pid], false);
  }

  /** Sends `signal` to the leader only. */
  signal(signal: NodeJS.Signals): void {
    this.assertAlive(`send ${signal} to`);
    try {
      process.kill(this.pid, signal);
    } catch {
      // Exited in between; `exited` reports it.
    }
  }

  /** Output written since the latest start. */
  async readLogSinceStart(): Promise<string> {
    return this.readLog(this.logOffset);
  }

  /** The last `lines` lines of the log file (from every run). */
  async logTail(lines = 40): Promise<string> {
    const handle = await open(this.logFile, 'r').catch(() => undefined);
    if (!handle) return '';
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - LOG_TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } finally {
      await handle.close();
    }
  }

  private async readLog(from: number): Promise<string> {
    const handle = await open(this.logFile, 'r').catch(() => undefined);
    if (!handle) return '';
    try {
      const { size } = await handle.stat();
      if (size <= from) return '';
      const buffer = Buffer.alloc(size - from);
      await handle.read(buffer, 0, buffer.length, from);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  }

  private killGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid !== undefined) signalGroup(pid, signal);
  }

  private assertAlive(action: string): void {
    if (!this.isAlive()) throw new Error(`cannot ${action} ${this.name}: it is not running`);
  }
}
