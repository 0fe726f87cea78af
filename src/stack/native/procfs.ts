import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

// Linux /proc look-ups. Used where the process tree is not ours to track: PostgreSQL backends
// each call setsid(), so neither our child handle nor a process-group signal reaches them.

/** State letter from /proc/<pid>/stat ('R', 'S', 'T', 'Z', ...), or undefined when gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself contain spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/**
 * The command line as the process shows it in `ps`: servers that rename themselves (nginx's
 * "worker process is shutting down") show the new title. Undefined when gone.
 */
export function processTitle(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').replaceAll('\0', ' ').trimEnd();
  } catch {
    return undefined;
  }
}

/** Live (non-zombie) members of process group `pgid`. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command: state ppid pgrp ...
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return members;
}

/** Alive means running, sleeping or stopped; a zombie awaiting its reaper counts as dead. */
export function isPidAlive(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/**
 * PIDs of live processes whose working directory is `dir`. PostgreSQL's postmaster and every
 * backend chdir into the data directory, which makes this the way to find all of a cluster.
 */
export function processesWithCwd(dir: string): number[] {
  let target: string;
  try {
    target = realpathSync(dir);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === target && isPidAlive(pid)) pids.push(pid);
    } catch {
      // Gone meanwhile, a zombie (no cwd) or not ours to inspect.
    }
  }
  return pids;
}

/** Sends `signal` to each PID, ignoring ones that vanished in between. */
export function signalPids(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already exited.
    }
  }
}

/**
 * Signals are delivered asynchronously: waits until every PID still alive is stopped
 * (`stopped` = true) or no longer stopped, so a freeze is in force when the caller moves on.
 */
export async function waitUntilStopped(
  pids: readonly number[],
  stopped: boolean,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = () =>
    pids.filter((pid) => {
      const state = processState(pid);
      return state !== undefined && state !== 'Z' && (state === 'T') !== stopped;
    });
  for (let left = pending(); left.length > 0; left = pending()) {
    if (Date.now() > deadline) {
      throw new Error(
        `processes ${left.join(', ')} did not ${stopped ? 'stop' : 'continue'} within ${timeoutMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
