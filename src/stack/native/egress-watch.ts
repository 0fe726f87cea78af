import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { packageRoot } from '../../common/package-root.js';
import { assertEgressGuardPossible, installEgressGuard, removeEgressGuard } from './egress-guard.js';
import { freePort } from './ports.js';
import { ManagedProcess, type ProcessExit } from './process.js';
import { ProcessComponent } from './process-component.js';
import { Wait } from './wait.js';

// The native stack's egress watch as one component (issue 16): the nftables guard for the app
// nodes' uids (egress-guard.ts) and the DNS sink process with its loopback traps
// (egress-sink.ts). Started before the app nodes, which then run under `uidOf(port)` and resolve
// through `dnsServer`. Stopping it removes the guard; `stack down` of a detached stack does too.

/** Each app node's uid: no account needed, unique while its port is. */
export function appNodeUid(port: number): number {
  return 200_000 + port;
}

export interface EgressWatchOptions {
  dir: string;
  /** uid → app node name. */
  components: ReadonlyMap<number, string>;
  /** Seeds the table name and the trap block, unique per running stack. */
  key: number;
}

export class EgressWatch extends ProcessComponent {
  readonly name = 'egress-sink';
  readonly logFile: string;
  readonly attemptsFile: string;
  readonly table: string;
  private dnsPort: number | undefined;

  constructor(private readonly options: EgressWatchOptions) {
    super();
    this.logFile = join(options.dir, 'egress-sink.log');
    this.attemptsFile = join(options.dir, 'egress-attempts.ndjson');
    this.table = `mmdrill_egress_${options.key}`;
  }

  get dnsServer(): string {
    if (this.dnsPort === undefined) throw new Error('egress-sink: not started');
    return `${LOOPBACK}:${this.dnsPort}`;
  }

  get pid(): number {
    return this.assertStarted().pid;
  }

  get url(): string {
    return `dns://${this.dnsServer}`;
  }

  async start({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<this> {
    assertEgressGuardPossible();
    await mkdir(this.options.dir, { recursive: true });
    await writeFile(this.attemptsFile, '', { flag: 'a' });
    installEgressGuard({ table: this.table, uids: [...this.options.components.keys()] });
    this.dnsPort ??= await freePort();
    const key = this.options.key;
    const block = `${64 + ((key >> 8) % 64)}.${key & 255}`;
    this.server = new ManagedProcess({
      name: this.name,
      command: process.execPath,
      args: [
        join(packageRoot(), 'dist', 'src', 'stack', 'native', 'egress-sink-main.js'),
        String(this.dnsPort),
        block,
        this.attemptsFile,
        ...[...this.options.components].map(([uid, name]) => `${uid}=${name}`),
      ],
      logFile: this.logFile,
    });
    await this.server.start();
    await this.server.waitFor(Wait.forLogLine(/egress sink: DNS on/), timeoutMs);
    return this;
  }

  override async stop(options: { timeoutMs?: number } = {}): Promise<ProcessExit | undefined> {
    const exit = await super.stop(options);
    removeEgressGuard(this.table);
    return exit;
  }

  override async kill(): Promise<ProcessExit | undefined> {
    const exit = await super.kill();
    removeEgressGuard(this.table);
    return exit;
  }
}
