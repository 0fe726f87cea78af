import { progressLine } from './output.js';

/** An abort signal for Ctrl-C and SIGTERM, for commands that must wind down cleanly. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Stops listening for the signals; call it in a `finally`. */
  release(): void;
}

/**
 * Turns SIGINT and SIGTERM into an abort of the returned signal, printing `whatNow` (what the
 * command does before it exits) so that a user pressing Ctrl-C knows it was heard.
 */
export function interruptOnSignals(whatNow: string): Interrupt {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    progressLine(`${signal}: ${whatNow}`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
