import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { packageRoot } from '../../common/package-root.js';
import { freePort } from './ports.js';
import { ManagedProcess, type ProcessExit } from './process.js';
import { Wait } from './wait.js';

export interface DoubleObjectStore {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

export interface DoubleAppNodeOptions {
  /** Run directory; the node's log is `<dir>/<nodeId>.log`. */
  dir: string;
  nodeId: string;
  databaseUrl: string;
  replicaUrl?: string;
  objectStore?: DoubleObjectStore;
  /** Fixed across restarts; default: free ports. */
  port?: number;
  metricsPort?: number;
  /** Further `mm-double` flags, e.g. ['--rate-limit', '10:5']. */
  extraArgs?: readonly string[];
  /** Further environment (settings that carry secrets, e.g. MM_CALLS_ICE_SERVERS_CONFIGS). */
  extraEnv?: Readonly<Record<string, string>>;
  /** Run under this uid and gid (the egress watch tells the nodes apart by it; needs root). */
  uid?: number;
}

/** The compiled entry point of the Mattermost test double (`npm run build` produces it). */
export function doubleEntryPoint(): string {
  const entry = join(packageRoot(), 'dist', 'testbed', 'main.js');
  if (!existsSync(entry))
    throw new Error(`the Mattermost test double is not built (${entry} is missing): run \`npm run build\``);
  return entry;
}

/**
 * One app node of the Mattermost test double, run as its own process from its own entry point
 * (the harness never imports the double's code). Ready when `/api/v4/system/ping` answers 200.
 */
export class DoubleAppNode {
  readonly nodeId: string;
  readonly logFile: string;
  private assignedPort: number | undefined;
  private assignedMetricsPort: number | undefined;
  private process: ManagedProcess | undefined;

  constructor(private readonly options: DoubleAppNodeOptions) {
    this.nodeId = options.nodeId;
    this.logFile = join(options.dir, `${options.nodeId}.log`);
    this.assignedPort = options.port;
    this.assignedMetricsPort = options.metricsPort;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error(`${this.nodeId}: no port yet (call start() first)`);
    return this.assignedPort;
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  get metricsUrl(): string {
    return `http://${LOOPBACK}:${this.assignedMetricsPort}/metrics`;
  }

  get pid(): number {
    if (!this.process) throw new Error(`${this.nodeId} has not been started`);
    return this.process.pid;
  }

  get exited(): Promise<ProcessExit> {
    if (!this.process) throw new Error(`${this.nodeId} has not been started`);
    return this.process.exited;
  }

  isRunning(): boolean {
    return this.process?.isAlive() ?? false;
  }

  async start({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<this> {
    this.assignedPort ??= await freePort();
    this.assignedMetricsPort ??= await freePort();
    const o = this.options;
    const args = [
      doubleEntryPoint(),
      '--node-id',
      o.nodeId,
      '--listen',
      `${LOOPBACK}:${this.assignedPort}`,
      '--metrics-listen',
      `${LOOPBACK}:${this.assignedMetricsPort}`,
      // One data directory for all nodes of the run: an import upload's chunks may reach any node.
      '--data-dir',
      join(o.dir, 'double-data'),
      ...(o.replicaUrl ? ['--replica-url', o.replicaUrl] : []),
      ...(o.objectStore
        ? [
            '--s3-endpoint',
            o.objectStore.endpoint,
            '--s3-bucket',
            o.objectStore.bucket,
            '--s3-region',
            o.objectStore.region,
          ]
        : []),
      ...(o.extraArgs ?? []),
    ];
    // Credentials travel in the environment, as Mattermost's MM_* settings do, never on argv.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...o.extraEnv,
      MM_SQLSETTINGS_DATASOURCE: o.databaseUrl,
    };
    if (o.objectStore) {
      env.MM_FILESETTINGS_AMAZONS3ACCESSKEYID = o.objectStore.accessKey;
      env.MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY = o.objectStore.secretKey;
    }
    this.process = new ManagedProcess({
      name: this.nodeId,
      command: process.execPath,
      args,
      env,
      logFile: this.logFile,
      ...(o.uid !== undefined && { uid: o.uid, gid: o.uid }),
    });
    await this.process.start();
    await this.process.waitFor(Wait.forHttp(`${this.url}/api/v4/system/ping`), timeoutMs);
    return this;
  }

  /** Graceful: SIGTERM, then SIGKILL after the timeout. */
  async stop({ timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<ProcessExit | undefined> {
    return this.process?.stop({ signal: 'SIGTERM', timeoutMs });
  }

  /** Leaves the process running after this one exits (see ManagedProcess.detach). */
  detach(): void {
    this.process?.detach();
  }

  async kill(): Promise<ProcessExit | undefined> {
    return this.process?.kill();
  }

  async freeze(): Promise<void> {
    await this.process?.freeze();
  }

  async thaw(): Promise<void> {
    await this.process?.thaw();
  }
}
