import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import pg from 'pg';
import type { StackDocument } from '../stack/stack-document.js';

// The server-side and harness figures drift watches, read on demand: the app nodes' resident
// memory and open connections (their Prometheus endpoint, or /proc/<pid> for native nodes), the
// PostgreSQL connections (pg_stat_activity through the stack's database URL) and the harness's own
// RSS. A probe that cannot measure says why once and reads null from then on; drift reports the
// series as "unknown" instead of guessing.

export interface ProbeReading {
  /** Keyed by drift series name; null: not measured this time. */
  [series: string]: number | null;
}

export interface DriftProbe {
  /** The series this probe fills. */
  readonly series: readonly string[];
  read(): Promise<ProbeReading>;
  /** Why a series could not be measured at all (none: it was measured at least once). */
  unknown(series: string): string | undefined;
  close(): Promise<void>;
}

interface AppNode {
  name: string;
  metricsUrl?: string;
  pid?: number;
}

/** Largest node RSS and the nodes' summed open connections. */
export class AppNodeProbe implements DriftProbe {
  readonly series = ['mm_app_rss', 'mm_app_connections'] as const;
  private readonly nodes: AppNode[];
  private readonly measured = new Set<string>();

  constructor(stack: StackDocument) {
    const pids = new Map(stack.components.filter((c) => c.kind === 'app').map((c) => [c.name, c.pid]));
    this.nodes = stack.appNodes.map((n) => ({
      name: n.name,
      ...(n.metricsUrl !== undefined && { metricsUrl: n.metricsUrl }),
      ...(pids.get(n.name) !== undefined && { pid: pids.get(n.name)! }),
    }));
  }

  async read(): Promise<ProbeReading> {
    const readings = await Promise.all(this.nodes.map((n) => readNode(n)));
    let rss: number | null = null;
    let connections: number | null = null;
    for (const r of readings) {
      if (r.rss !== null) rss = Math.max(rss ?? 0, r.rss);
      if (r.connections !== null) connections = (connections ?? 0) + r.connections;
    }
    if (rss !== null) this.measured.add('mm_app_rss');
    if (connections !== null) this.measured.add('mm_app_connections');
    return { mm_app_rss: rss, mm_app_connections: connections };
  }

  unknown(series: string): string | undefined {
    if (this.measured.has(series)) return undefined;
    return this.nodes.length === 0
      ? 'the stack document names no app node'
      : 'no app node answered on its metrics URL, and none has a readable /proc entry';
  }

  async close(): Promise<void> {}
}

async function readNode(node: AppNode): Promise<{ rss: number | null; connections: number | null }> {
  let rss: number | null = null;
  let connections: number | null = null;
  if (node.pid !== undefined) {
    rss = procRss(node.pid);
    connections = procSockets(node.pid);
  }
  if ((rss === null || connections === null) && node.metricsUrl !== undefined) {
    const text = await scrape(node.metricsUrl);
    if (text !== null) {
      rss ??= promValue(text, 'process_resident_memory_bytes');
      connections ??= promValue(text, 'process_open_fds');
    }
  }
  return { rss, connections };
}

/** Resident bytes of a process (VmRSS), or null when it is gone. */
export function procRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/** Sockets a process holds open (its TCP connections and listeners), or null when unreadable. */
export function procSockets(pid: number): number | null {
  try {
    let sockets = 0;
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
      } catch {
        // closed between the listing and the read
      }
    }
    return sockets;
  } catch {
    return null;
  }
}

async function scrape(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(800) });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** Sum of a metric's samples in Prometheus text (every label set), or null without any. */
export function promValue(text: string, name: string): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(
      rest
        .slice(rest.lastIndexOf('}') + 1)
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/** Connections in pg_stat_activity of the stack's primary database. */
export class PostgresProbe implements DriftProbe {
  readonly series = ['pg_connections'] as const;
  private client: pg.Client | null = null;
  private failure: string | undefined;
  private measured = false;

  constructor(private readonly url: string | undefined) {
    if (url === undefined) this.failure = 'the stack document has no database URL';
  }

  async read(): Promise<ProbeReading> {
    if (this.url === undefined || (this.failure !== undefined && !this.measured))
      return { pg_connections: null };
    try {
      if (this.client === null) {
        const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2000 });
        client.on('error', () => undefined); // a dropped connection is retried on the next read
        await client.connect();
        this.client = client;
      }
      const result = await this.client.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where backend_type = 'client backend'",
      );
      this.measured = true;
      // The probe's own connection is not the server's.
      return { pg_connections: Math.max(0, Number(result.rows[0]?.n ?? 0) - 1) };
    } catch (error) {
      this.failure ??= `pg_stat_activity not reachable: ${(error as Error).message.split('\n')[0]}`;
      await this.client?.end().catch(() => undefined);
      this.client = null;
      return { pg_connections: null };
    }
  }

  unknown(): string | undefined {
    return this.measured ? undefined : (this.failure ?? 'not measured');
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}

/** The harness's own resident memory. */
export class HarnessMemoryProbe implements DriftProbe {
  readonly series = ['mm_harness_rss'] as const;
  async read(): Promise<ProbeReading> {
    return { mm_harness_rss: process.memoryUsage.rss() };
  }
  unknown(): undefined {
    return undefined;
  }
  async close(): Promise<void> {}
}

/** Every probe a stack allows. */
export function driftProbes(stack: StackDocument): DriftProbe[] {
  const database = stack.components.find((c) => c.kind === 'database')?.url;
  return [new AppNodeProbe(stack), new PostgresProbe(database), new HarnessMemoryProbe()];
}
