import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { ComponentHealth, ComponentStopped, DetachedStack } from '../provider.js';
import type { StackComponent, StackDocument } from '../stack-document.js';
import { isPidAlive, processesWithCwd, processState, signalPids } from './procfs.js';

// Control of a stack that another mmdrill process started and left running (`stack status`,
// `stack down`): all that survives between processes is PIDs and paths. The providers use it
// for the components that are processes of this machine (all of a native stack's).

/** Whether any component with a PID is still alive. */
export function anyAlive(document: StackDocument): boolean {
  return document.components.some((c) => c.pid !== undefined && isPidAlive(c.pid));
}

/** checkDetached() of every component. */
export function healthOfDetached(stack: DetachedStack): Promise<ComponentHealth[]> {
  return Promise.all(stack.document.components.map((c) => checkDetached(c)));
}

/**
 * Stops every component with a PID, in reverse start order (the load balancer first, the primary
 * database last); throws naming what is still running afterwards.
 */
export async function stopDetachedProcesses(
  stack: DetachedStack,
  progress?: (stopped: ComponentStopped) => void,
): Promise<void> {
  const { document } = stack;
  for (const component of [...document.components].reverse()) {
    if (component.pid === undefined) continue;
    const t0 = Date.now();
    const result = await stopDetached(component, stack.dataDirs[component.name]);
    progress?.({ component: component.name, result, ms: Date.now() - t0 });
  }
  const survivors = document.components.filter((c) => c.pid !== undefined && isPidAlive(c.pid));
  if (survivors.length > 0) {
    throw new Error(
      `still running after stack down: ${survivors.map((c) => `${c.name} (pid ${c.pid})`).join(', ')}`,
    );
  }
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
      // A server that asks for a password (the containers' PostgreSQL: scram-sha-256; the
      // password is not kept in the state file) has accepted the connection: that is an answer.
      // The URL's parts are passed one by one: pg lets a connection string's (absent) password
      // override the callback, and SCRAM then fails with "client password must be a string".
      let askedForPassword = false;
      const parsed = new URL(url);
      const client = new pg.Client({
        host: parsed.hostname,
        port: Number(parsed.port || 5432),
        user: decodeURIComponent(parsed.username),
        database: decodeURIComponent(parsed.pathname.slice(1)),
        connectionTimeoutMillis: 2_000,
        password: parsed.password
          ? decodeURIComponent(parsed.password)
          : () => {
              askedForPassword = true;
              throw new Error('password asked');
            },
      });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return 'ok';
      } catch (error) {
        if (askedForPassword) return 'ok';
        throw error;
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
