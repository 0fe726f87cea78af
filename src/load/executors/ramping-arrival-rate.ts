import { type RateStage, rampingArrivals } from './arrival-schedule.js';
import { ArrivalDispatcher, runArrivals } from './arrivals.js';
import { sleepUntil } from './clock.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

export interface RampingArrivalRateConfig {
  /** Iterations per `timeUnitMs` at the start. */
  startRate: number;
  timeUnitMs: number;
  stages: readonly RateStage[];
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStopMs: number;
  startTimeMs: number;
}

/**
 * k6 ramping-arrival-rate: the rate moves linearly within each stage and iterations start along
 * its integral (arrival-schedule.ts), whatever the response times (open model).
 */
export class RampingArrivalRate extends ExecutorBase {
  readonly type = 'ramping-arrival-rate';
  protected readonly openModel = true;
  protected readonly timing: ExecutorTiming;

  constructor(
    readonly config: RampingArrivalRateConfig,
    hooks?: ExecutorHooks,
  ) {
    super(hooks);
    const durationMs = config.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
    this.timing = { ...config, durationMs };
  }

  protected vuCounts() {
    const { preAllocatedVUs, maxVUs } = this.config;
    return { upfront: preAllocatedVUs, max: Math.max(preAllocatedVUs, maxVUs) };
  }

  protected phases(pool: VuPool): ExecutorPhases {
    const { startRate, timeUnitMs, stages } = this.config;
    let dispatcher: ArrivalDispatcher | undefined;
    return {
      drive: async (startAt) => {
        const active = new ArrivalDispatcher(pool);
        dispatcher = active;
        const due = (intendedStart: number) => active.due(intendedStart);
        await runArrivals(rampingArrivals(startRate, timeUnitMs, stages), startAt, due, pool.signal);
        await sleepUntil(startAt + this.timing.durationMs, pool.signal);
      },
      stopStarting: () => dispatcher?.stop(),
    };
  }
}
