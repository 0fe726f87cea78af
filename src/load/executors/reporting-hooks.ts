import { describeFailure } from '../../mattermost/request-failure.js';
import type { ExecutorHooks } from './vu-pool.js';

// What the operator sees of failing VUs: every VU that could not start, and only the first
// failed iteration of each executor (the rest are counted in the metrics, not printed), so a
// broken server does not flood the console. Shared by scenario executors and the externally
// controlled one.

export function reportingHooks(log: (line: string) => void, prefix: string): ExecutorHooks {
  let reported = false;
  return {
    onVuInitError: (error, vu) => log(`${prefix}VU ${vu} could not start: ${describeFailure(error)}`),
    onIterationError: (error) => {
      if (reported) return;
      reported = true;
      log(
        `${prefix}first failed iteration: ${describeFailure(error)} (later failures are counted, not printed)`,
      );
    },
  };
}
