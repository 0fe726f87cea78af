// Children must not outlive the harness. Every live ManagedProcess sits in this registry and is
// SIGKILLed (with its process group) when Node exits. A SIGKILL of Node itself cannot be caught;
// that is the one case in which components may linger.

/** Something that can kill its OS processes synchronously (exit handlers cannot await). */
export interface KillableNow {
  killNow(): void;
}

const live = new Set<KillableNow>();
let hooksInstalled = false;

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** SIGKILLs every registered process. Safe to call more than once. */
export function killAllManagedProcesses(): void {
  for (const entry of live) {
    try {
      entry.killNow();
    } catch {
      // Keep going: one failure must not spare the others.
    }
  }
  live.clear();
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllManagedProcesses);
  for (const signal of FORWARDED_SIGNALS) {
    const onSignal = (): void => {
      // Another listener (the CLI's graceful shutdown) owns this signal; its eventual exit
      // still runs the 'exit' hook. Alone, we clean up and re-raise so Node dies as it would have.
      if (process.listenerCount(signal) > 1) return;
      killAllManagedProcesses();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export function registerLiveProcess(entry: KillableNow): void {
  installHooks();
  live.add(entry);
}

export function unregisterLiveProcess(entry: KillableNow): void {
  live.delete(entry);
}

/** How many registered processes are still live (tests use it to prove cleanup). */
export function liveManagedProcessCount(): number {
  return live.size;
}
