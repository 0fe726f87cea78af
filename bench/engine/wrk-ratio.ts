import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findOnPath } from '../../src/stack/native/binaries.js';
import { HTTP_CLIENTS, type HttpClientKind } from './http-get.js';
import type { Section, SectionOptions } from './sections.js';
import { StaticNginx } from './static-nginx.js';

// Request rate per core: wrk and mmdrill's engine (constant-vus, one GET per iteration) against
// the same one-worker NGINX, each pinned to the same core, NGINX on the other.

const run = promisify(execFile);
const CONNECTIONS = 50;
const DEFAULT_SECONDS = 10;
const ROUNDS = 3;
/** The client also measured without the executor, to tell the engine's cost from the client's. */
const BARE_CLIENT: HttpClientKind = 'undici';
const CLIENT_CORE = 1;
const NGINX_CORE = 0;
const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

interface LoadResult {
  requestsPerSecond: number;
  /** CPU seconds of the generator (wrk: not measured). */
  cpuSeconds?: number;
  /** Share of a core the NGINX worker used meanwhile: near 1 means NGINX, not the client, set the pace. */
  nginxCore: number;
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0;
  }
}

async function measured(nginx: StaticNginx, load: () => Promise<Omit<LoadResult, 'nginxCore'>>) {
  const workers = nginx.workers();
  const ticksBefore = workers.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const started = Date.now();
  const result = await load();
  const seconds = (Date.now() - started) / 1000;
  const ticks = workers.reduce((sum, pid) => sum + cpuTicks(pid), 0) - ticksBefore;
  return { ...result, nginxCore: ticks / TICKS_PER_SECOND / seconds };
}

async function section({ dir, durationS, say }: SectionOptions): Promise<void> {
  const wrk = findOnPath('wrk');
  if (!wrk) {
    say('wrk-ratio: skipped, wrk is not installed. Install it with: apt-get install -y wrk');
    return;
  }
  const seconds = durationS ?? DEFAULT_SECONDS;
  const taskset = findOnPath('taskset');
  const pinned = taskset !== undefined && availableParallelism() > 1;
  const pin = (command: string, args: string[]): [string, string[]] =>
    pinned ? [taskset as string, ['-c', String(CLIENT_CORE), command, ...args]] : [command, args];
  say(
    pinned
      ? `wrk-ratio: NGINX worker on core ${NGINX_CORE}; wrk and mmdrill each pinned to core ${CLIENT_CORE}; ${CONNECTIONS} connections, ${seconds} s each, ${ROUNDS} rounds`
      : `wrk-ratio: not pinned (taskset missing or one core); ${CONNECTIONS} connections, ${seconds} s each, ${ROUNDS} rounds`,
  );

  const nginx = await new StaticNginx(dir, NGINX_CORE).start();
  try {
    const wrkArgs = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, nginx.url];
    const runWrk = () =>
      measured(nginx, async () => {
        const { stdout } = await run(...pin(wrk, wrkArgs), { timeout: (seconds + 30) * 1000 });
        const match = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
        if (!match) throw new Error(`cannot read wrk's output:\n${stdout}`);
        return { requestsPerSecond: Number(match[1]) };
      });
    const script = fileURLToPath(new URL('./http-load.js', import.meta.url));
    const runClient = (client: HttpClientKind, bare = false) =>
      measured(nginx, async () => {
        const args = [
          script,
          '--url',
          nginx.url,
          '--client',
          client,
          '--vus',
          String(CONNECTIONS),
          '--duration',
          String(seconds),
          ...(bare ? ['--bare'] : []),
        ];
        const { stdout } = await run(...pin(process.execPath, args), { timeout: (seconds + 60) * 1000 });
        const line = JSON.parse(stdout.trim().split('\n').at(-1) as string) as {
          requestsPerSecond: number;
          seconds: number;
          cpuSeconds: number;
          failed: number;
        };
        if (line.failed > 0) say(`  (${client}: ${line.failed} failed requests)`);
        return { requestsPerSecond: line.requestsPerSecond, cpuSeconds: line.cpuSeconds / line.seconds };
      });

    // Rounds alternate the generators; each one's best round counts. Another process on the
    // core can only slow a generator down, so the best round is the one least disturbed.
    const results = new Map<string, LoadResult[]>();
    const keep = (name: string, result: LoadResult) =>
      results.set(name, [...(results.get(name) ?? []), result]);
    for (let round = 1; round <= ROUNDS; round++) {
      const wrkResult = await runWrk();
      keep('wrk', wrkResult);
      const line = [`  round ${round}: wrk ${rate(wrkResult.requestsPerSecond)}`];
      for (const client of HTTP_CLIENTS) {
        const result = await runClient(client);
        keep(client, result);
        line.push(`${client} ${rate(result.requestsPerSecond)}`);
      }
      const bare = await runClient(BARE_CLIENT, true);
      keep('bare', bare);
      line.push(`${BARE_CLIENT} without the executor ${rate(bare.requestsPerSecond)}`);
      say(line.join(', '));
    }
    const wrkBest = best(results.get('wrk') ?? []);
    say(
      `  wrk -t1 -c${CONNECTIONS} (best round):  ${rate(wrkBest.requestsPerSecond)}  (NGINX worker ${share(wrkBest.nginxCore)} of a core)`,
    );
    let fastest = 0;
    for (const client of HTTP_CLIENTS) {
      const result = best(results.get(client) ?? []);
      fastest = Math.max(fastest, result.requestsPerSecond);
      say(
        `  mmdrill constant-vus ${CONNECTIONS} VUs, ${client.padEnd(6)} (best round): ${rate(result.requestsPerSecond)}  (harness ${share(result.cpuSeconds ?? 0)} of a core, NGINX worker ${share(result.nginxCore)}); ratio to wrk ${(result.requestsPerSecond / wrkBest.requestsPerSecond).toFixed(2)}`,
      );
    }
    const bare = best(results.get('bare') ?? []);
    const engine = best(results.get(BARE_CLIENT) ?? []);
    say(
      `  ${BARE_CLIENT} from plain async loops, no executor (best round): ${rate(bare.requestsPerSecond)}; with the executor ${(engine.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}× that`,
    );
    const ratio = fastest / wrkBest.requestsPerSecond;
    say(`  ratio (best client / wrk): ${ratio.toFixed(2)}  goal ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
  } finally {
    await nginx.stop();
  }
}

/** The result with the highest request rate. */
function best(results: readonly LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => b.requestsPerSecond - a.requestsPerSecond);
  return sorted[0] ?? { requestsPerSecond: Number.NaN, nginxCore: Number.NaN };
}

const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} req/s`;
const share = (fraction: number) => `${Math.round(fraction * 100)} %`;

export const wrkRatio: Section = {
  name: 'wrk-ratio',
  title: 'request rate per core on a static NGINX endpoint, as a ratio to wrk (goal ≥ 0.5)',
  run: section,
};
