import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { ToxiproxyClient } from '../toxiproxy-client.js';
import { findToxiproxyServer } from './binaries.js';
import { assertPortFree, freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { ProcessComponent } from './process-component.js';
import { Wait } from './wait.js';

/** zerolog levels; 'info' logs every accepted connection, which dominates the log under load. */
export type ToxiproxyLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ToxiproxyServerOptions {
  /** Run directory; holds toxiproxy.log. */
  dir: string;
  /** API port, fixed across restarts; default: a free port. */
  port?: number;
  /** Path of the server binary; default: GOPATH/bin/server, then toxiproxy-server on PATH. */
  binary?: string;
  name?: string;
  /** Default 'info'. */
  logLevel?: ToxiproxyLogLevel;
}

/**
 * Toxiproxy's server (MIT) with its API on 127.0.0.1. Proxies live in its memory only: after
 * kill() and start() they must be created again (populate() does that in one call).
 */
export class ToxiproxyServer extends ProcessComponent {
  readonly dir: string;
  readonly logFile: string;
  readonly name: string;
  private readonly binary: string;
  private readonly logLevel: ToxiproxyLogLevel;
  private assignedPort: number | undefined;

  constructor(options: ToxiproxyServerOptions) {
    super();
    this.dir = options.dir;
    this.logFile = join(options.dir, 'toxiproxy.log');
    this.name = options.name ?? 'toxiproxy';
    this.binary = options.binary ?? findToxiproxyServer();
    this.logLevel = options.logLevel ?? 'info';
    this.assignedPort = options.port;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error(`${this.name}: no port yet (call start() first)`);
    return this.assignedPort;
  }

  /** Root of the HTTP API, e.g. http://127.0.0.1:8474. */
  get apiUrl(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get pid(): number {
    if (!this.server) throw new Error(`${this.name} has not been started`);
    return this.server.pid;
  }

  isRunning(): boolean {
    return this.server?.isAlive() ?? false;
  }

  /** A client for this server's API. */
  client(): ToxiproxyClient {
    return new ToxiproxyClient(this.apiUrl);
  }

  /** Starts the server (again) and waits until `GET /version` answers 200. */
  async start({ timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<this> {
    if (this.isRunning()) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    this.assignedPort ??= await freePort();
    await mkdir(this.dir, { recursive: true });
    await assertPortFree(this.port, this.name);
    this.server ??= new ManagedProcess({
      name: this.name,
      command: this.binary,
      args: ['-host', LOOPBACK, '-port', String(this.port)],
      env: { ...process.env, LOG_LEVEL: this.logLevel },
      cwd: this.dir,
      logFile: this.logFile,
    });
    await this.server.start();
    await this.server.waitFor(Wait.forHttp(`${this.apiUrl}/version`), timeoutMs);
    return this;
  }
}
