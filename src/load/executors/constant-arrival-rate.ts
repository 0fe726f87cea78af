import { constantArrivals } from './arrival-schedule.js';
import { ArrivalDispatcher, runArrivals } from './arrivals.js';
import { sleepUntil } from './clock.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

export interface ConstantArrivalRateConfig {
  /** Iterations per `timeUnitMs`. */
  rate: number;
  timeUnitMs: number;
  durationMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStopMs: number;
  startTimeMs: number;
}

/**
 * k6 constant-arrival-rate: an iteration every timeUnit/rate, the first at the start, whatever
 * the response times (open model). See ArrivalDispatcher for VUs on demand and dropped iterations.
 */
export class ConstantArrivalRate extends ExecutorBase {
  readonly type = 'constant-arrival-rate';
  protected readonly openModel = true;
  protected readonly timing: ExecutorTiming;

  constructor(
    readonly config: ConstantArrivalRateConfig,
    hooks?: ExecutorHooks,
  ) {
    super(hooks);
    this.timing = config;
  }

  protected vuCounts() {
    const { preAllocatedVUs, maxVUs } = this.config;
    return { upfront: preAllocatedVUs, max: Math.max(preAllocatedVUs, maxVUs) };
  }

  protected phases(pool: VuPool): ExecutorPhases {
    const { rate, timeUnitMs, durationMs } = this.config;
    let dispatcher: ArrivalDispatcher | undefined;
    return {
      drive: async (startAt) => {
        const active = new ArrivalDispatcher(pool);
        dispatcher = active;
        const due = (intendedStart: number) => active.due(intendedStart);
        await runArrivals(constantArrivals(rate, timeUnitMs, durationMs), startAt, due, pool.signal);
        await sleepUntil(startAt + durationMs, pool.signal);
      },
      stopStarting: () => dispatcher?.stop(),
    };
  }
}
