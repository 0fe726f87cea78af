import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { LOOPBACK } from '../../common/loopback.js';
import { postgresBinDir } from './binaries.js';
import { assertUserCanEnter, chownTo, isRoot, lookupOsUser, type OsUser } from './os-user.js';
import { assertPortFree, freePort, isPortFree } from './ports.js';
import { ManagedProcess } from './process.js';
import { isPidAlive, processesWithCwd, signalPids, waitUntilStopped } from './procfs.js';
import { Wait } from './wait.js';

export interface PostgresClusterOptions {
  /** Run directory; holds data/ (PGDATA), run/ (unix socket) and postgres.log. */
  dir: string;
  /** Fixed for the cluster's life so replicas can find it after a restart; default: a free port. */
  port?: number;
  /** Directory with initdb/postgres/pg_basebackup; default: highest version under /usr/lib/postgresql. */
  binDir?: string;
  /** Shown in errors, `ps` (cluster_name) and pg_stat_replication. */
  name?: string;
}

export interface ReplicaOptions {
  dir: string;
  port?: number;
  name?: string;
}

// Appended to postgresql.conf by init(); replicas inherit it through pg_basebackup.
const SETTINGS: Record<string, string> = {
  listen_addresses: `'${LOOPBACK}'`,
  max_connections: '200',
  shared_buffers: `'32MB'`,
  wal_level: 'replica',
  max_wal_senders: '10',
  max_replication_slots: '10',
  // Lets a briefly partitioned standby catch up without a replication slot.
  wal_keep_size: `'256MB'`,
  hot_standby: 'on',
  // Drills SIGKILL the server; an acknowledged commit must survive that.
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  logging_collector: 'off',
  log_line_prefix: `'%m [%p] '`,
};

const HBA = [
  'local all all trust',
  `host all all ${LOOPBACK}/32 trust`,
  'local replication all trust',
  `host replication all ${LOOPBACK}/32 trust`,
  '',
].join('\n');

const SUPERUSER = 'postgres';
const REAP_TIMEOUT_MS = 10_000;

/**
 * A private PostgreSQL cluster run from the OS package's binaries. The `postgres` binary is our
 * direct child (no pg_ctl), so its PID is the postmaster's. As root, everything runs as the
 * `postgres` OS user, because PostgreSQL refuses to run as root.
 */
export class PostgresCluster {
  readonly dir: string;
  readonly dataDir: string;
  readonly socketDir: string;
  readonly logFile: string;
  readonly name: string;
  readonly binDir: string;
  private assignedPort: number | undefined;
  private server: ManagedProcess | undefined;
  private readonly runAs: OsUser | undefined;

  constructor(options: PostgresClusterOptions) {
    this.dir = options.dir;
    this.dataDir = join(options.dir, 'data');
    this.socketDir = join(options.dir, 'run');
    this.logFile = join(options.dir, 'postgres.log');
    this.name = options.name ?? 'postgres';
    this.binDir = options.binDir ?? postgresBinDir();
    this.assignedPort = options.port;
    this.runAs = isRoot() ? lookupOsUser('postgres') : undefined;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error(`${this.name}: no port yet (call init() first)`);
    return this.assignedPort;
  }

  /** PID of the postmaster of the current run. */
  get pid(): number {
    if (!this.server) throw new Error(`${this.name} has not been started`);
    return this.server.pid;
  }

  isRunning(): boolean {
    return this.server?.isAlive() ?? false;
  }

  url(database = 'postgres'): string {
    return `postgres://${SUPERUSER}@${LOOPBACK}:${this.port}/${database}`;
  }

  /** Live processes of this cluster: the postmaster and every backend (they share its cwd). */
  processes(): number[] {
    return processesWithCwd(this.dataDir);
  }

  /** initdb with trust auth on 127.0.0.1 and the local socket, replication enabled. */
  async init(): Promise<this> {
    if (existsSync(join(this.dataDir, 'PG_VERSION'))) {
      throw new Error(`${this.name}: ${this.dataDir} already holds a cluster`);
    }
    this.assignedPort ??= await freePort();
    await this.prepareDirectories();
    await this.runTool('initdb', [
      '-D',
      this.dataDir,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-instructions',
    ]);
    // Both files exist (owned by the server's user); rewriting keeps owner and mode.
    await writeFile(join(this.dataDir, 'pg_hba.conf'), HBA);
    const settings = Object.entries(SETTINGS).map(([key, value]) => `${key} = ${value}`);
    await appendFile(join(this.dataDir, 'postgresql.conf'), `\n# mmdrill\n${settings.join('\n')}\n`);
    return this;
  }

  /** Starts the postmaster and waits until a real query succeeds (after crash recovery, if any). */
  async start({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<this> {
    if (this.isRunning()) throw new Error(`${this.name} is already running (pid ${this.pid})`);
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      throw new Error(`${this.name}: ${this.dataDir} holds no cluster (call init() or createReplica())`);
    }
    this.assignedPort ??= await freePort();
    await this.reapLeftovers();
    await this.clearHijackedLocks();
    await assertPortFree(this.port, this.name);
    this.server = new ManagedProcess({
      name: this.name,
      command: join(this.binDir, 'postgres'),
      args: [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-k',
        this.socketDir,
        '-c',
        `cluster_name=${this.name}`,
      ],
      ...this.spawnIdentity(),
    });
    await this.server.start();
    const ready = Wait.forPredicate(
      `${this.name} answering SELECT 1 on ${LOOPBACK}:${this.port}`,
      async () => {
        await this.query('SELECT 1', [], 'postgres', 2_000);
        return true;
      },
    );
    await this.server.waitFor(ready, timeoutMs);
    return this;
  }

  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); SIGKILL after the timeout. */
  async stop({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.server?.isAlive()) {
      signalPids(this.processes(), 'SIGCONT');
      await this.server.stop({ signal: 'SIGINT', timeoutMs });
    }
    await this.reapLeftovers();
  }

  /**
   * SIGKILL of the postmaster, as in a crash; then its orphaned backends are killed too and the
   * port is free again, so start() can follow (PostgreSQL runs crash recovery then).
   */
  /** Leaves the process running after this one exits (see ManagedProcess.detach). */
  detach(): void {
    this.server?.detach();
  }

  async kill(): Promise<void> {
    await this.server?.kill();
    await this.reapLeftovers();
    await this.waitForPortFree();
  }

  /**
   * SIGSTOP to the postmaster, then to every backend (each runs in its own session, so no group
   * signal reaches them all). Resolves once all of them are stopped.
   */
  async freeze(): Promise<void> {
    this.assertRunning('freeze');
    // Postmaster first, so it cannot fork new backends while the others are being stopped.
    signalPids([this.pid], 'SIGSTOP');
    const pids = this.processes();
    signalPids(pids, 'SIGSTOP');
    await waitUntilStopped(pids, true);
  }

  async thaw(): Promise<void> {
    this.assertRunning('thaw');
    const pids = this.processes();
    signalPids(pids, 'SIGCONT');
    await waitUntilStopped(pids, false);
  }

  /** Runs one statement on a fresh connection (control-plane use, not load). */
  async query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    database = 'postgres',
    timeoutMs = 30_000,
  ): Promise<Row[]> {
    const client = new pg.Client({
      connectionString: this.url(database),
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<Row>(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async createDatabase(name: string): Promise<void> {
    await this.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  }

  async isInRecovery(): Promise<boolean> {
    const [row] = await this.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
    return row?.recovering === true;
  }

  /** Ends recovery on a standby and waits until it accepts writes. */
  async promote({ timeoutMs = 60_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const [row] = await this.query<{ promoted: boolean }>(
      'SELECT pg_promote(true, $1) AS promoted',
      [seconds],
      'postgres',
      timeoutMs + 5_000,
    );
    if (row?.promoted !== true) throw new Error(`${this.name}: promotion did not finish within ${seconds} s`);
  }

  /**
   * A streaming hot standby of this (running) cluster, cloned with `pg_basebackup -R -X stream`.
   * It is returned stopped; start() makes it follow this primary.
   */
  async createReplica(options: ReplicaOptions): Promise<PostgresCluster> {
    return PostgresCluster.createReplica(this, options);
  }

  static async createReplica(primary: PostgresCluster, options: ReplicaOptions): Promise<PostgresCluster> {
    primary.assertRunning('clone');
    const replica = new PostgresCluster({
      dir: options.dir,
      port: options.port ?? (await freePort()),
      binDir: primary.binDir,
      name: options.name ?? `${primary.name}-replica`,
    });
    await replica.prepareDirectories();
    await replica.runTool('pg_basebackup', [
      '-h',
      LOOPBACK,
      '-p',
      String(primary.port),
      '-U',
      SUPERUSER,
      '-D',
      replica.dataDir,
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-password',
    ]);
    return replica;
  }

  private async prepareDirectories(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    await mkdir(this.socketDir, { recursive: true, mode: 0o755 });
    if (this.runAs) {
      await assertUserCanEnter(this.dir, this.runAs);
      await chownTo(this.dataDir, this.runAs);
      await chownTo(this.socketDir, this.runAs);
    }
    // PostgreSQL insists on 0700 (or 0750) for PGDATA whatever the umask did.
    await chmod(this.dataDir, 0o700);
  }

  /** Runs a short-lived PostgreSQL tool to completion, output into this cluster's log. */
  private async runTool(tool: string, args: string[]): Promise<void> {
    const child = new ManagedProcess({
      name: `${this.name} ${tool}`,
      command: join(this.binDir, tool),
      args,
      ...this.spawnIdentity(),
    });
    await child.start();
    const exit = await child.exited;
    if (exit.code !== 0) {
      throw new Error(
        `${this.name}: ${tool} failed (${exit.signal ?? `code ${exit.code}`})\n--- last lines of ${this.logFile} ---\n${await child.logTail()}`,
      );
    }
  }

  private spawnIdentity() {
    // PG* variables (PGHOST, PGPORT, PGDATA...) from the caller's shell must not steer our tools.
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
    // HOME: the server's user may not read root's; pg_basebackup writes HOME/.pgpass into primary_conninfo.
    Object.assign(env, { HOME: this.dir, LC_ALL: 'C' });
    return { env, cwd: this.dir, uid: this.runAs?.uid, gid: this.runAs?.gid, logFile: this.logFile };
  }

  /** SIGKILLs any process still running in the data directory and waits until none is left. */
  private async reapLeftovers(): Promise<void> {
    const deadline = Date.now() + REAP_TIMEOUT_MS;
    for (let pids = this.processes(); pids.length > 0; pids = this.processes()) {
      if (Date.now() > deadline)
        throw new Error(`${this.name}: processes ${pids.join(', ')} survive SIGKILL`);
      signalPids(pids, 'SIGKILL');
      await sleep(50);
    }
  }

  /**
   * PostgreSQL clears a lock file whose PID is dead by itself (and frees the old shared memory
   * then), but refuses to start when that PID was reused by an unrelated process. Only that
   * case is ours to clean, and only once no process of this cluster runs.
   */
  private async clearHijackedLocks(): Promise<void> {
    const socketLocks = (await readdir(this.socketDir).catch(() => [] as string[]))
      .filter((entry) => entry.endsWith('.lock'))
      .map((entry) => join(this.socketDir, entry));
    for (const lock of [join(this.dataDir, 'postmaster.pid'), ...socketLocks]) {
      const content = await readFile(lock, 'utf8').catch(() => undefined);
      const pid = Number(content?.split('\n', 1)[0]);
      if (Number.isInteger(pid) && pid > 0 && isPidAlive(pid)) await rm(lock, { force: true });
    }
  }

  private async waitForPortFree(): Promise<void> {
    const deadline = Date.now() + REAP_TIMEOUT_MS;
    while (!(await isPortFree(this.port))) {
      if (Date.now() > deadline) throw new Error(`${this.name}: port ${this.port} still in use after kill`);
      await sleep(50);
    }
  }

  private assertRunning(action: string): void {
    if (!this.isRunning()) throw new Error(`cannot ${action} ${this.name}: it is not running`);
  }
}
