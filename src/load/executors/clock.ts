import { performance } from 'node:perf_hooks';

// Waiting on the monotonic clock. Executors keep every deadline as an absolute
// `performance.now()` value, so waking up late never shifts what comes after.

/**
 * Resolves at `deadline` (a `performance.now()` value) or as soon as `signal` aborts, whichever
 * comes first; never rejects. Node's timers have a 1 ms resolution and may fire a fraction of a
 * millisecond early on the monotonic clock, so this re-arms until the deadline has really passed.
 */
export function sleepUntil(deadline: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || performance.now() >= deadline) {
      resolve();
      return;
    }
    let timer: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const arm = () => {
      const wait = deadline - performance.now();
      if (wait <= 0) finish();
      else timer = setTimeout(arm, Math.max(1, Math.ceil(wait)));
    };
    signal.addEventListener('abort', finish, { once: true });
    arm();
  });
}

/** One turn of the event loop (timers and I/O get to run). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
