import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { packageRoot } from '../../common/package-root.js';
import { freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { ProcessComponent } from './process-component.js';
import { Wait } from './wait.js';

export interface RtcdDoubleOptions {
  /** Run directory; holds rtcd.log. */
  dir: string;
  /** Listener port, fixed across restarts; default: a free port. */
  port?: number;
  /** How long a dropped session waits for `reconnect` (default 10 s, as the Calls plugin). */
  reconnectWindowMs?: number;
}

/** The compiled entry point of the rtcd double (`npm run build` produces it). */
export function rtcdEntryPoint(): string {
  const entry = join(packageRoot(), 'dist', 'testbed', 'rtcd-main.js');
  if (!existsSync(entry))
    throw new Error(`the rtcd double is not built (${entry} is missing): run \`npm run build\``);
  return entry;
}

/**
 * The rtcd double: the Calls media server (an SFU on libwebrtc) every app node of the double
 * links to, as the Calls plugin links to rtcd. Its own process from its own entry point; media
 * (ICE) only on 127.0.0.1. Ready when `/version` answers.
 */
export class RtcdDouble extends ProcessComponent {
  readonly name = 'rtcd';
  readonly logFile: string;
  private assignedPort: number | undefined;

  constructor(private readonly options: RtcdDoubleOptions) {
    super();
    this.logFile = join(options.dir, 'rtcd.log');
    this.assignedPort = options.port;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error('rtcd: no port yet (call start() first)');
    return this.assignedPort;
  }

  /** What app nodes get as `--rtcd-url`. */
  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get pid(): number {
    return this.assertStarted().pid;
  }

  isRunning(): boolean {
    return this.server?.isAlive() ?? false;
  }

  async start({ timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<this> {
    this.assignedPort ??= await freePort();
    const args = [rtcdEntryPoint(), '--listen', `${LOOPBACK}:${this.assignedPort}`];
    if (this.options.reconnectWindowMs !== undefined) {
      args.push('--reconnect-window', String(this.options.reconnectWindowMs));
    }
    this.server = new ManagedProcess({
      name: this.name,
      command: process.execPath,
      args,
      env: { ...process.env },
      logFile: this.logFile,
    });
    await this.server.start();
    await this.server.waitFor(Wait.forHttp(`${this.url}/version`), timeoutMs);
    return this;
  }
}
