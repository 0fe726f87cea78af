import { spawnSync } from 'node:child_process';

// The last resort when the process exits with faults still in force (process.exit() on a path
// that skipped the drill's `finally`): 'exit' handlers cannot await, so frozen processes are
// thawed with SIGCONT directly and Toxiproxy is called from a short synchronous child process.
// The normal path is FaultScheduler.stopAll(); this only covers what it could not reach.

/** What undoes one fault without awaiting anything. */
export interface ExitUndo {
  /** Processes to continue (SIGCONT). */
  thaw?: readonly number[];
  /** Toxiproxy calls: toxics to delete, proxies to enable. */
  toxiproxy?: {
    api: string;
    removeToxics?: readonly { proxy: string; toxic: string }[];
    enableProxies?: readonly string[];
  };
}

interface HttpCall {
  method: string;
  url: string;
  body?: string;
}

// Runs in a child `node`: reads the calls as JSON on stdin and makes them, each bounded in time.
const CALLER = `
let input = '';
for await (const chunk of process.stdin) input += chunk;
await Promise.allSettled(JSON.parse(input).map((call) => fetch(call.url, {
  method: call.method,
  headers: { 'user-agent': 'mmdrill', 'content-type': 'application/json' },
  body: call.body,
  signal: AbortSignal.timeout(1500),
})));
`;

export class ExitCleanup {
  private readonly entries = new Set<ExitUndo>();
  private hooked = false;

  /** Keeps `undo` until the returned function is called (the fault was removed normally). */
  register(undo: ExitUndo): () => void {
    if (!this.hooked) {
      this.hooked = true;
      process.on('exit', () => this.runNow());
    }
    this.entries.add(undo);
    return () => {
      this.entries.delete(undo);
    };
  }

  /** Undoes everything registered, synchronously, and forgets it. */
  runNow(): void {
    const entries = [...this.entries];
    this.entries.clear();
    for (const pid of entries.flatMap((e) => e.thaw ?? [])) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Already gone.
      }
    }
    const calls = entries.flatMap((e) => (e.toxiproxy ? toxiproxyCalls(e.toxiproxy) : []));
    if (calls.length === 0) return;
    spawnSync(process.execPath, ['--input-type=module', '-e', CALLER], {
      input: JSON.stringify(calls),
      timeout: 5_000,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  }

  /** How many undos are registered (tests use it to prove faults unregister on removal). */
  get size(): number {
    return this.entries.size;
  }
}

function toxiproxyCalls(undo: NonNullable<ExitUndo['toxiproxy']>): HttpCall[] {
  const base = undo.api.replace(/\/+$/, '');
  const e = encodeURIComponent;
  return [
    ...(undo.removeToxics ?? []).map(({ proxy, toxic }) => ({
      method: 'DELETE',
      url: `${base}/proxies/${e(proxy)}/toxics/${e(toxic)}`,
    })),
    ...(undo.enableProxies ?? []).map((proxy) => ({
      method: 'PATCH',
      url: `${base}/proxies/${e(proxy)}`,
      body: JSON.stringify({ enabled: true }),
    })),
  ];
}

/** The process-wide instance the fault kinds register with. */
export const exitCleanup = new ExitCleanup();
