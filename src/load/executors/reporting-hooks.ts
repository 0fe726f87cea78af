import type { ExecutorHooks } from './vu-pool.js';

// What the operator sees of failing VUs: every VU that could not start, and only the first
// failed iteration of each executor (the rest are counted in the metrics, not printed), so a
// broken server does not flood the console. Shared by scenario executors and the externally
// controlled one.

export function reportingHooks(log: (line: string) => void, prefix: string): ExecutorHooks {
  let reported = false;
  return {
    onVuInitError: (error, vu) => log(`${prefix}VU ${vu} could not start: ${firstLine(error)}`),
    onIterationError: (error) => {
      if (reported) return;
      reported = true;
      log(`${prefix}first failed iteration: ${firstLine(error)} (later failures are counted, not printed)`);
    },
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 200);
}
