import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { findNginx } from './binaries.js';
import { type NginxTuning, nginxPaths, renderNginxConfig } from './nginx-config.js';
import { isRoot } from './os-user.js';
import { assertPortFree, freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { ProcessComponent } from './process-component.js';
import { isPidAlive, processGroupMembers, processTitle } from './procfs.js';
import { Wait } from './wait.js';

export interface NginxLoadBalancerOptions extends NginxTuning {
  /** Run directory; holds nginx.conf, nginx.log (error log), access.log, temp/ and the pid file. */
  dir: string;
  /** App nodes (or the Toxiproxy links in front of them) as host:port. */
  upstreams: readonly string[];
  /** Fixed across restarts; default: a free port. */
  port?: number;
  /** Port of /nginx-health and /nginx-status; default: a free port. */
  statusPort?: number;
  /** Path of the nginx binary; default: PATH, then /usr/sbin. */
  binary?: string;
  name?: string;
}

/** One line of access.log, as written by the `mmdrill` log_format. */
export interface NginxAccessLogEntry {
  time: string;
  /** Seconds since the epoch, millisecond resolution. */
  msec: number;
  remoteAddr: string;
  method: string;
  uri: string;
  status: number;
  bytesSent: number;
  /** Seconds, from the first client byte to the last byte sent. */
  requestTime: number;
  /** Every node nginx tried, in order (more than one after a passive failover); empty if none. */
  upstreams: string[];
  /** The raw $upstream_status ("502, 200" after a failover). */
  upstreamStatus: string;
  upstreamResponseTime: string;
}

const versions = new Map<string, number[]>();

/** nginx's version as [major, minor, patch], from `nginx -v` (printed on stderr). */
function nginxVersion(binary: string): number[] {
  let version = versions.get(binary);
  if (!version) {
    const { stderr } = spawnSync(binary, ['-v'], { encoding: 'utf8', timeout: 10_000 });
    const match = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(stderr ?? '');
    version = match ? match.slice(1).map(Number) : [0, 0, 0];
    versions.set(binary, version);
  }
  return version;
}

/** `-e` (startup error log) exists since nginx 1.19.5; older builds log there to a compiled-in path. */
function supportsErrorLogFlag(binary: string): boolean {
  const [major = 0, minor = 0, patch = 0] = nginxVersion(binary);
  return major * 1_000_000 + minor * 1_000 + patch >= 1_019_005;
}

/** GET on a fresh connection: a keepalive connection could still reach a worker of the old config. */
function fetchFresh(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/**
 * The master starts new workers before it tells the old ones to quit, and all of them share the
 * listening sockets: until an old worker has renamed itself "shutting down" (it closes its
 * listeners in the same step) it may still take a new connection with the old config.
 */
function retired(workers: readonly number[]) {
  return Wait.forPredicate(`old workers ${workers.join(', ')} shutting down`, async () =>
    workers.every((pid) => !isPidAlive(pid) || /shutting down/.test(processTitle(pid) ?? '')),
  );
}

function parseAccessLogLine(line: string): NginxAccessLogEntry | undefined {
  let raw: Record<string, string>;
  try {
    raw = JSON.parse(line) as Record<string, string>;
  } catch {
    return undefined; // a line still being written
  }
  const upstreamAddr = raw.upstream_addr ?? '';
  return {
    time: raw.time ?? '',
    msec: Number(raw.msec),
    remoteAddr: raw.remote_addr ?? '',
    method: raw.method ?? '',
    uri: raw.uri ?? '',
    status: Number(raw.status),
    bytesSent: Number(raw.bytes_sent),
    requestTime: Number(raw.request_time),
    // nginx separates retries with ", " and internal redirects with " : ".
    upstreams: upstreamAddr === '' ? [] : upstreamAddr.split(/, | : /),
    upstreamStatus: raw.upstream_status ?? '',
    upstreamResponseTime: raw.upstream_response_time ?? '',
  };
}

/**
 * NGINX as the load balancer in front of the app nodes, configured after Mattermost's HA
 * guidance (see nginx-config.ts), run as our child with `daemon off;`. Ready once `nginx -t`
 * accepts the config, both ports listen and /nginx-health reports the current generation.
 */
export class NginxLoadBalancer extends ProcessComponent {
  readonly dir: string;
  readonly confFile: string;
  /** stdout/stderr of the master, which is also nginx's error log. */
  readonly logFile: string;
  readonly accessLogFile: string;
  readonly name: string;
  private readonly binary: string;
  private readonly tuning: NginxTuning;
  private currentUpstreams: readonly string[];
  private generation = 0;
  private assignedPort: number | undefined;
  private assignedStatusPort: number | undefined;

  constructor(options: NginxLoadBalancerOptions) {
    super();
    const { dir, upstreams, port, statusPort, binary, name, ...tuning } = options;
    this.dir = dir;
    this.confFile = nginxPaths(dir).conf;
    this.logFile = join(dir, 'nginx.log');
    this.accessLogFile = nginxPaths(dir).accessLog;
    this.name = name ?? 'nginx';
    this.binary = binary ?? findNginx();
    this.tuning = tuning;
    this.currentUpstreams = [...upstreams];
    this.assignedPort = port;
    this.assignedStatusPort = statusPort;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error(`${this.name}: no port yet (call start() first)`);
    return this.assignedPort;
  }

  get statusPort(): number {
    if (this.assignedStatusPort === undefined) throw new Error(`${this.name}: no status port yet`);
    return this.assignedStatusPort;
  }

  /** Base URL clients use, e.g. http://127.0.0.1:8080. */
  get url(): string {
    return `http://${LOOPBACK}:${this.port}`;
  }

  /** stub_status (active connections, requests), for drills that watch the balancer. */
  get statusUrl(): string {
    return `http://${LOOPBACK}:${this.statusPort}/nginx-status`;
  }

  get upstreams(): readonly string[] {
    return this.currentUpstreams;
  }

  /** PID of the master process; workers share its process group. */
  get pid(): number {
    if (!this.server) throw new Error(`${this.name} has not been started`);
    return this.server.pid;
  }

  isRunning(): boolean {
    return this.server?.isAlive() ?? false;
  }

  async start({ timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<this> {
    if (this.isRunning()) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    this.assignedPort ??= await freePort();
    this.assignedStatusPort ??= await freePort();
    // nginx creates only the last component of each temp path.
    await mkdir(nginxPaths(this.dir).temp, { recursive: true });
    await assertPortFree(this.port, this.name);
    await assertPortFree(this.statusPort, `${this.name} status`);
    await this.writeConfig();
    await this.testConfig();
    this.server ??= new ManagedProcess({
      name: this.name,
      command: this.binary,
      args: [...this.baseArgs(), '-g', 'daemon off;'],
      cwd: this.dir,
      logFile: this.logFile,
    });
    await this.server.start();
    await this.server.waitFor(Wait.forAll(Wait.forListeningPort(this.port), this.healthWait()), timeoutMs);
    return this;
  }

  /**
   * Rewrites nginx.conf (with `upstreams` if given), checks it with `nginx -t`, sends SIGHUP and
   * waits until new workers answer and the old ones no longer accept connections. Old workers
   * finish their requests (open WebSockets included) and exit on their own.
   */
  async reload({
    upstreams,
    timeoutMs = 15_000,
  }: {
    upstreams?: readonly string[];
    timeoutMs?: number;
  } = {}): Promise<void> {
    const server = this.assertStarted();
    const previous = this.currentUpstreams;
    if (upstreams) this.currentUpstreams = [...upstreams];
    try {
      await this.writeConfig();
      await this.testConfig();
    } catch (error) {
      // Leave a config on disk that matches what runs.
      this.currentUpstreams = previous;
      await this.writeConfig();
      throw error;
    }
    const oldWorkers = processGroupMembers(server.pid).filter((pid) => pid !== server.pid);
    server.signal('SIGHUP');
    await server.waitFor(Wait.forAll(this.healthWait(), retired(oldWorkers)), timeoutMs);
  }

  /** Every complete line of access.log, oldest first. */
  async readAccessLog(): Promise<NginxAccessLogEntry[]> {
    const text = await readFile(this.accessLogFile, 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map(parseAccessLogLine)
      .filter((entry): entry is NginxAccessLogEntry => entry !== undefined);
  }

  private baseArgs(): string[] {
    // -p: relative paths resolve in the run dir; -e: startup errors go to our log, not /var/log.
    return [
      '-p',
      `${this.dir}/`,
      '-c',
      this.confFile,
      ...(supportsErrorLogFlag(this.binary) ? ['-e', 'stderr'] : []),
    ];
  }

  private async writeConfig(): Promise<void> {
    this.generation += 1;
    const config = renderNginxConfig({
      ...this.tuning,
      dir: this.dir,
      port: this.port,
      statusPort: this.statusPort,
      upstreams: this.currentUpstreams,
      generation: this.generation,
      // As root, workers would run as `nobody`, which cannot reach a run dir under a private
      // parent (say /root/tmp) and then fails only requests whose bodies spill to temp files.
      // Everything listens on 127.0.0.1 only, so the workers stay root.
      workerUser: isRoot() ? 'root root' : undefined,
    });
    await writeFile(this.confFile, config);
  }

  /** `nginx -t`: a bad config fails here with nginx's own words, not as a timeout later. */
  private async testConfig(): Promise<void> {
    const check = new ManagedProcess({
      name: `${this.name} config test`,
      command: this.binary,
      args: ['-t', '-q', ...this.baseArgs()],
      cwd: this.dir,
      logFile: this.logFile,
    });
    await check.start();
    const exit = await check.exited;
    if (exit.code !== 0) {
      const output = (await check.readLogSinceStart()).trim();
      throw new Error(
        `${this.name}: nginx -t rejected ${this.confFile} (${exit.signal ?? `code ${exit.code}`}):\n${output}`,
      );
    }
  }

  private healthWait() {
    const url = `http://${LOOPBACK}:${this.statusPort}/nginx-health`;
    const expected = `generation ${this.generation}`;
    return Wait.forPredicate(`${url} reporting ${expected}`, async () => {
      const { status, body } = await fetchFresh(url);
      if (status === 200 && body.trim() === expected) return true;
      throw new Error(`status ${status}, '${body.trim()}'`);
    });
  }
}
