import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

// The stack's DNS sink and its loopback traps (issue 16, the egress watch). The app tier resolves
// outside names through this server on 127.0.0.1, never through the host's resolver: every name
// asked for is logged, and every outside name is answered with a loopback trap address of its own
// (127.A.B.n) on which listeners for ports 80 and 443 record the connection and close it. So a
// link preview of https://example.com/ costs two recorded attempts and not one packet off
// loopback. Which process asked is read from /proc/net (the socket's uid: each app node runs under
// its own uid, see egress-guard.ts). Runs in its own process (egress-sink-main.ts) so that a
// detached stack keeps it; attempts go to an NDJSON file the run reads back (egress-findings.ts).

/** One line of the attempts file. */
export interface EgressAttempt {
  at: string;
  kind: 'dns-query' | 'trap-connection' | 'blocked-connection';
  component: string;
  name?: string;
  address?: string;
  port?: number;
  protocol?: 'tcp' | 'udp';
}

export interface EgressSinkOptions {
  dnsPort: number;
  /** First two octets after 127 of this stack's trap block: 127.<a>.<b>.n. */
  trapBlock: [number, number];
  /** uid → component name (app-1, …). */
  components: ReadonlyMap<number, string>;
  attemptsFile: string;
  trapPorts?: readonly number[];
}

const TRAP_TTL_S = 5;
/** Names that are the machine itself; everything else is outside the stack. */
const LOCAL_NAME = /(^|\.)localhost\.?$/i;

export class EgressSink {
  private dns: Socket | undefined;
  private readonly traps = new Map<string, string>(); // name → address
  private readonly servers: Server[] = [];
  private paused = false;

  constructor(private readonly options: EgressSinkOptions) {}

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (msg, from) => void this.answer(socket, msg, from));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.dnsPort, '127.0.0.1', () => resolve());
    });
    this.dns = socket;
  }

  /** While paused (the enclave is cut off), outside names get no answer at all. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  async stop(): Promise<void> {
    this.dns?.close();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private record(attempt: Omit<EgressAttempt, 'at'>): void {
    const line: EgressAttempt = { at: new Date().toISOString(), ...attempt };
    appendFileSync(this.options.attemptsFile, `${JSON.stringify(line)}\n`);
  }

  private async answer(socket: Socket, msg: Buffer, from: RemoteInfo): Promise<void> {
    const query = parseQuery(msg);
    if (!query) return;
    const local = LOCAL_NAME.test(query.name);
    if (!local) {
      this.record({
        kind: 'dns-query',
        component: this.componentOf('udp', from.port),
        name: query.name,
        protocol: 'udp',
      });
      if (this.paused) return;
    }
    const address = local ? '127.0.0.1' : query.type === 1 ? await this.trapFor(query.name) : null;
    socket.send(buildAnswer(msg, query, query.type === 1 ? address : null), from.port, from.address);
  }

  private async trapFor(name: string): Promise<string> {
    const key = name.toLowerCase();
    const known = this.traps.get(key);
    if (known) return known;
    const [a, b] = this.options.trapBlock;
    const address = `127.${a}.${b}.${Math.min(this.traps.size + 1, 254)}`;
    this.traps.set(key, address);
    if (this.traps.size <= 254) {
      for (const port of this.options.trapPorts ?? [80, 443]) await this.listen(address, port);
    }
    return address;
  }

  private namesOf(address: string): string {
    return [...this.traps]
      .filter(([, a]) => a === address)
      .map(([n]) => n)
      .join(', ');
  }

  private listen(address: string, port: number): Promise<void> {
    const server = createServer((conn) => {
      this.record({
        kind: 'trap-connection',
        component: this.componentOf('tcp', conn.remotePort ?? 0, port),
        name: this.namesOf(address),
        address,
        port,
        protocol: 'tcp',
      });
      conn.destroy();
    });
    this.servers.push(server);
    return new Promise((resolve) => {
      server.once('error', () => resolve()); // a trap that cannot listen still answers DNS
      server.listen(port, address, () => resolve());
    });
  }

  /** The component owning the local socket on `port` (by uid), or "uid N" / "unknown". */
  private componentOf(protocol: 'tcp' | 'udp', port: number, remotePort?: number): string {
    const uid = socketUid(protocol, port, remotePort);
    if (uid === undefined) return 'unknown';
    return this.options.components.get(uid) ?? `uid ${uid}`;
  }
}

/** The uid column of the /proc/net line whose local port is `port` (and remote port, if given). */
function socketUid(protocol: 'tcp' | 'udp', port: number, remotePort?: number): number | undefined {
  for (const file of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 8) continue;
      const localPort = Number.parseInt(cols[1]!.split(':')[1] ?? '', 16);
      const peerPort = Number.parseInt(cols[2]!.split(':')[1] ?? '', 16);
      if (localPort === port && (remotePort === undefined || peerPort === remotePort)) return Number(cols[7]);
    }
  }
  return undefined;
}

interface DnsQuery {
  name: string;
  type: number;
  /** Offset just past the question. */
  end: number;
}

function parseQuery(msg: Buffer): DnsQuery | null {
  if (msg.length < 12 || msg.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let at = 12;
  while (at < msg.length) {
    const len = msg[at]!;
    if (len === 0) break;
    if (len > 63 || at + 1 + len > msg.length) return null;
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  if (at + 5 > msg.length) return null;
  return { name: labels.join('.'), type: msg.readUInt16BE(at + 1), end: at + 5 };
}

/** The question echoed, with one A record for `address` (or none: NODATA for AAAA and others). */
function buildAnswer(msg: Buffer, query: DnsQuery, address: string | null): Buffer {
  const header = Buffer.from(msg.subarray(0, 12));
  header.writeUInt16BE(0x8180 | (msg.readUInt16BE(2) & 0x0100), 2); // response, RD copied, RA, NOERROR
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(address ? 1 : 0, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  const question = msg.subarray(12, query.end);
  if (!address) return Buffer.concat([header, question]);
  const answer = Buffer.alloc(16);
  answer.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  answer.writeUInt16BE(1, 2); // A
  answer.writeUInt16BE(1, 4); // IN
  answer.writeUInt32BE(TRAP_TTL_S, 6);
  answer.writeUInt16BE(4, 10);
  for (const [i, octet] of address.split('.').entries()) answer.writeUInt8(Number(octet), 12 + i);
  return Buffer.concat([header, question, answer]);
}
