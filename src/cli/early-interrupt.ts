// Before a command has taken over its interrupts (while the CLI's modules load, which takes a
// second) and after it has let go of them, Ctrl-C must still end the process the way the CLI
// promises: "interrupted", exit 130, not a bare death by signal. Nothing has been started then,
// or everything has been stopped; the exit hooks (managed processes, faults) run regardless.
// This module imports nothing, so bin/mmdrill.js can arm it before loading the rest.

const onEarlySignal = (): void => {
  process.stderr.write('mmdrill: interrupted\n');
  process.exit(130);
};

/** Exit 130 on SIGINT/SIGTERM until disarmed. Idempotent. */
export function armEarlyInterrupt(): void {
  disarmEarlyInterrupt();
  process.on('SIGINT', onEarlySignal);
  process.on('SIGTERM', onEarlySignal);
}

/** A command handles the signals itself from now on. */
export function disarmEarlyInterrupt(): void {
  process.off('SIGINT', onEarlySignal);
  process.off('SIGTERM', onEarlySignal);
}
