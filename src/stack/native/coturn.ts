import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { findTurnserver } from './binaries.js';
import { freePort } from './ports.js';
import { ManagedProcess } from './process.js';
import { ProcessComponent } from './process-component.js';
import { Wait } from './wait.js';

export interface CoturnOptions {
  /** Run directory; holds turnserver.conf (mode 0600: it has the password), its database and log. */
  dir: string;
  /** Listener port (TCP and UDP), fixed across restarts; default: a free port. */
  port?: number;
}

/**
 * coturn (BSD) as a TURN relay for Calls media, on 127.0.0.1 only (TCP and UDP, relay addresses
 * on loopback too). Clients forced to `iceTransportPolicy: 'relay'` send their media through it,
 * so a Toxiproxy proxy in front of its TCP listener impairs the media path. Static long-term
 * credentials, generated here, written only to the 0600 config file and kept in memory.
 */
export class CoturnServer extends ProcessComponent {
  readonly name = 'coturn';
  readonly username = 'mmdrill';
  readonly realm = 'mmdrill';
  readonly logFile: string;
  /** Never logged, never in the stack document; reaches app nodes through their environment. */
  readonly password = randomBytes(18).toString('base64url');
  private assignedPort: number | undefined;

  constructor(private readonly options: CoturnOptions) {
    super();
    this.logFile = join(options.dir, 'coturn.log');
    this.assignedPort = options.port;
  }

  get port(): number {
    if (this.assignedPort === undefined) throw new Error('coturn: no port yet (call start() first)');
    return this.assignedPort;
  }

  get pid(): number {
    return this.assertStarted().pid;
  }

  async start({ timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<this> {
    this.assignedPort ??= await freePort();
    const dir = this.options.dir;
    await mkdir(dir, { recursive: true });
    const configFile = join(dir, 'turnserver.conf');
    const relayFrom = 49_152 + Math.floor(Math.random() * 12_000);
    const config = [
      `listening-ip=${LOOPBACK}`,
      `relay-ip=${LOOPBACK}`,
      `listening-port=${this.assignedPort}`,
      `min-port=${relayFrom}`,
      `max-port=${relayFrom + 400}`,
      'lt-cred-mech',
      'fingerprint',
      `realm=${this.realm}`,
      `user=${this.username}:${this.password}`,
      // The SFU is on loopback too: coturn refuses loopback peers unless told otherwise.
      'allow-loopback-peers',
      'no-cli',
      'no-tls',
      'no-dtls',
      'no-software-attribute',
      'no-stun-backward-compatibility',
      `userdb=${join(dir, 'turndb')}`,
      `pidfile=${join(dir, 'turnserver.pid')}`,
      'log-file=stdout',
      'simple-log',
    ];
    await writeFile(configFile, `${config.join('\n')}\n`, { mode: 0o600 });
    this.server = new ManagedProcess({
      name: this.name,
      command: findTurnserver(),
      args: ['-c', configFile],
      logFile: this.logFile,
    });
    await this.server.start();
    await this.server.waitFor(Wait.forListeningPort(this.assignedPort), timeoutMs);
    return this;
  }

  /** ICE server entry for a TURN-over-TCP relay reached at `address` (host:port, e.g. a proxy). */
  iceServer(address: string): { urls: string[]; username: string; credential: string } {
    return { urls: [`turn:${address}?transport=tcp`], username: this.username, credential: this.password };
  }
}
