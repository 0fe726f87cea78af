import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { StackComponent } from '../stack-document.js';
import { isPidAlive, processesWithCwd, processState, signalPids } from './procfs.js';

// Control of a native stack that another mmdrill process started and left running
// (`stack status`, `stack down`): all that survives between processes is PIDs and paths.

export interface ComponentHealth {
  name: string;
  state: 'running' | 'frozen' | 'stopped';
  healthy: boolean;
  detail: string;
}

function signalGroupOrPids(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    signalPids([pid], signal);
  }
}

async function waitGone(pids: () => number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids().length > 0) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops one component: PostgreSQL with a fast shutdown (SIGINT to the postmaster), everything
 * else with SIGTERM to its process group; SIGKILL after the timeout. For a database, leftover
 * backends are found by their working directory (the data directory) and killed too.
 */
export async function stopDetached(
  component: StackComponent,
  dataDir?: string,
  timeoutMs = 15_000,
): Promise<'stopped' | 'killed' | 'not-running'> {
  const pid = component.pid;
  const members = () => [
    ...(pid && isPidAlive(pid) ? [pid] : []),
    ...(dataDir ? processesWithCwd(dataDir) : []),
  ];
  if (members().length === 0) return 'not-running';
  const database = component.kind === 'database' || component.kind === 'database-replica';
  if (pid) {
    signalGroupOrPids(pid, 'SIGCONT');
    if (dataDir) signalPids(processesWithCwd(dataDir), 'SIGCONT');
    if (database) signalPids([pid], 'SIGINT');
    else signalGroupOrPids(pid, 'SIGTERM');
  }
  if (await waitGone(members, timeoutMs)) return 'stopped';
  if (pid) signalGroupOrPids(pid, 'SIGKILL');
  signalPids(members(), 'SIGKILL');
  await waitGone(members, 5_000);
  return 'killed';
}

/** Is the process there, is it frozen, and does it answer the way its kind should. */
export async function checkDetached(component: StackComponent): Promise<ComponentHealth> {
  const { name, pid } = component;
  if (pid !== undefined && !isPidAlive(pid))
    return { name, state: 'stopped', healthy: false, detail: `pid ${pid} is gone` };
  if (pid !== undefined && processState(pid) === 'T')
    return { name, state: 'frozen', healthy: false, detail: `pid ${pid} is stopped (SIGSTOP)` };
  const answer = await probe(component).catch(
    (err: unknown) => `no answer: ${err instanceof Error ? err.message : String(err)}`,
  );
  return { name, state: 'running', healthy: answer === 'ok', detail: answer === 'ok' ? 'answers' : answer };
}

async function probe(component: StackComponent): Promise<string> {
  const url = component.url;
  if (!url) return 'ok';
  switch (component.kind) {
    case 'app':
    case 'load-balancer':
      return httpOk(`${url}/api/v4/system/ping`);
    case 'toxiproxy':
    case 'media-server':
      return httpOk(`${url}/version`);
    case 'object-store':
    case 'turn':
      return tcpOk(new URL(url));
    case 'database':
    case 'database-replica': {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return 'ok';
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    default:
      return 'ok';
  }
}

async function httpOk(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.ok ? 'ok' : `HTTP ${response.status}`;
}

function tcpOk(url: URL): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const done = (result: string) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2_000, () => done('timed out'));
    socket.once('connect', () => done('ok'));
    socket.once('error', (err) => done(err.message));
  });
}
