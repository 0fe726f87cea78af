import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { StackDocument } from '../stack/stack-document.js';
import { parsePrometheusText, sumOf } from './prometheus-text.js';

// The app nodes' own figures for the server-side criteria: CPU, resident memory and 5xx answers,
// read once a second from each node's Prometheus endpoint (process_cpu_seconds_total,
// process_resident_memory_bytes, mattermost_api_time_count{status_code}), or, for native nodes
// without one, from /proc/<pid>. The busiest node counts: one saturated node is a breach.

export interface AppNodeReading {
  /** Highest node CPU over the last second, as a share of its cores; null: not measured. */
  cpu: number | null;
  /** Largest node resident memory as a share of its memory; null: not measured. */
  memory: number | null;
  /** Share of the app nodes' API answers in the last second that were 5xx; null: not measured. */
  server5xx: number | null;
  /** Where the figures came from. */
  source: 'metrics' | 'proc' | 'none';
}

interface NodeSource {
  name: string;
  metricsUrl?: string;
  pid?: number;
}

interface Cumulative {
  at: number;
  cpuSeconds: number | null;
  requests: number | null;
  errors5xx: number | null;
}

export interface AppNodeSamplerOptions {
  cores: number;
  memoryBytes?: number;
  /** Per-request timeout (ms). Default 800. */
  timeoutMs?: number;
}

/** Linux's USER_HZ: /proc times are in these ticks. */
const CLOCK_TICKS = 100;

export class AppNodeSampler {
  private readonly nodes: NodeSource[];
  private readonly previous = new Map<string, Cumulative>();
  private readonly memoryBytes: number;
  private timer: NodeJS.Timeout | undefined;
  private latestReading: AppNodeReading = { cpu: null, memory: null, server5xx: null, source: 'none' };
  private busy = false;

  constructor(
    stack: StackDocument,
    private readonly options: AppNodeSamplerOptions,
  ) {
    const pids = new Map(stack.components.filter((c) => c.kind === 'app').map((c) => [c.name, c.pid]));
    this.nodes = stack.appNodes.map((n) => ({
      name: n.name,
      ...(n.metricsUrl !== undefined && { metricsUrl: n.metricsUrl }),
      ...(pids.get(n.name) !== undefined && { pid: pids.get(n.name)! }),
    }));
    this.memoryBytes = options.memoryBytes ?? totalmem();
  }

  /** True when some node can be measured at all. */
  get measurable(): boolean {
    return this.nodes.some((n) => n.metricsUrl !== undefined || n.pid !== undefined);
  }

  /** The reading of the last completed sample. */
  get latest(): AppNodeReading {
    return this.latestReading;
  }

  start(intervalMs = 1000): void {
    if (this.timer !== undefined || !this.measurable) return;
    void this.sample();
    this.timer = setInterval(() => void this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads every node once (a sample still running is not overlapped). */
  async sample(): Promise<AppNodeReading> {
    if (this.busy) return this.latestReading;
    this.busy = true;
    try {
      const results = await Promise.all(this.nodes.map((n) => this.read(n)));
      let cpu: number | null = null;
      let memory: number | null = null;
      let requests = 0;
      let errors = 0;
      let sawRequests = false;
      const sources = new Set<'metrics' | 'proc'>();
      for (const r of results) {
        if (r === null) continue;
        sources.add(r.source);
        if (r.cpu !== null) cpu = Math.max(cpu ?? 0, r.cpu);
        if (r.memory !== null) memory = Math.max(memory ?? 0, r.memory);
        if (r.requests !== null) {
          sawRequests = true;
          requests += r.requests;
          errors += r.errors5xx ?? 0;
        }
      }
      this.latestReading = {
        cpu: round(cpu),
        memory: round(memory),
        server5xx: sawRequests && requests > 0 ? errors / requests : null,
        source: sources.has('metrics') ? 'metrics' : sources.has('proc') ? 'proc' : 'none',
      };
      return this.latestReading;
    } finally {
      this.busy = false;
    }
  }

  private async read(node: NodeSource): Promise<{
    source: 'metrics' | 'proc';
    cpu: number | null;
    memory: number | null;
    requests: number | null;
    errors5xx: number | null;
  } | null> {
    const now = performance.now();
    let current: Cumulative & { rss: number | null; source: 'metrics' | 'proc' };
    const fromMetrics = node.metricsUrl ? await this.scrape(node.metricsUrl, now) : null;
    if (fromMetrics) current = { ...fromMetrics, source: 'metrics' };
    else if (node.pid !== undefined) {
      const proc = readProc(node.pid);
      if (proc === null) return null;
      current = {
        at: now,
        cpuSeconds: proc.cpuSeconds,
        rss: proc.rss,
        requests: null,
        errors5xx: null,
        source: 'proc',
      };
    } else return null;
    const before = this.previous.get(node.name);
    this.previous.set(node.name, current);
    const wallS = before ? (current.at - before.at) / 1000 : 0;
    const delta = (a: number | null, b: number | null | undefined) =>
      a !== null && b !== null && b !== undefined && a >= b ? a - b : null;
    const cpuDelta = delta(current.cpuSeconds, before?.cpuSeconds);
    return {
      source: current.source,
      cpu: cpuDelta !== null && wallS > 0 ? cpuDelta / wallS / this.options.cores : null,
      memory: current.rss === null ? null : current.rss / this.memoryBytes,
      requests: delta(current.requests, before?.requests),
      errors5xx: delta(current.errors5xx, before?.errors5xx),
    };
  }

  private async scrape(url: string, at: number): Promise<(Cumulative & { rss: number | null }) | null> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 800) });
      if (!response.ok) return null;
      const samples = parsePrometheusText(await response.text());
      return {
        at,
        cpuSeconds: sumOf(samples, 'process_cpu_seconds_total'),
        rss: sumOf(samples, 'process_resident_memory_bytes'),
        requests: sumOf(samples, 'mattermost_api_time_count'),
        errors5xx: sumOf(samples, 'mattermost_api_time_count', (l) => (l.status_code ?? '').startsWith('5')),
      };
    } catch {
      return null;
    }
  }
}

/** CPU seconds and resident bytes of a process from /proc; null when it is gone. */
export function readProc(pid: number): { cpuSeconds: number; rss: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) … utime(11) stime(12) … rss pages(21).
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    const rss = Number(fields[21]) * 4096;
    return Number.isFinite(cpuSeconds) && Number.isFinite(rss) ? { cpuSeconds, rss } : null;
  } catch {
    return null;
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}
