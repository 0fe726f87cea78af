import { Type } from '@sinclair/typebox';
import { Duration, formatDuration, parseDuration } from '../../config/duration.js';
import {
  DEFAULT_TIME_UNIT,
  MAX_VUS,
  maxVusOfBudget,
  PRE_ALLOCATED_VUS,
  TIME_UNIT,
  vuBudgetIssues,
} from './arrival-rate-options.js';
import { constantArrivals } from './arrival-schedule.js';
import { ArrivalDispatcher, runArrivals } from './arrivals.js';
import { sleepUntil } from './clock.js';
import {
  defineExecutor,
  k6Duration,
  optionalK6Duration,
  positiveDurationIssues,
  positiveMs,
} from './define-executor.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

// k6's constant-arrival-rate: iterations start at a fixed rate (open model). The executor class,
// then its definition: scenario-file options, defaults, checks, overrides, k6 export.

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

export const constantArrivalRate = defineExecutor({
  type: 'constant-arrival-rate',
  description:
    'Iterations start at a fixed rate whatever the response times (open model); latency counts from each one’s scheduled start.',
  openModel: true,
  fields: {
    rate: Type.Number({ exclusiveMinimum: 0, description: 'Iterations started per timeUnit.' }),
    timeUnit: TIME_UNIT,
    duration: Duration({ description: 'How long iterations keep starting.' }),
    preAllocatedVUs: PRE_ALLOCATED_VUS,
    maxVUs: MAX_VUS,
  },
  defaults: { timeUnit: DEFAULT_TIME_UNIT },
  checks: (entry) => [
    ...positiveDurationIssues('duration', entry.duration),
    ...positiveDurationIssues('timeUnit', entry.timeUnit ?? DEFAULT_TIME_UNIT),
    ...vuBudgetIssues(entry),
  ],
  maxVus: maxVusOfBudget,
  lengthMs: (entry) => parseDuration(entry.duration),
  // The load is the rate, not the users: --users leaves it alone.
  override: (_entry, { durationMs }) =>
    durationMs === undefined ? {} : { duration: formatDuration(durationMs) },
  k6: (entry) => ({
    rate: entry.rate,
    timeUnit: optionalK6Duration(entry.timeUnit),
    duration: k6Duration(entry.duration),
    preAllocatedVUs: entry.preAllocatedVUs,
    maxVUs: entry.maxVUs,
  }),
  create: (entry, times, hooks) =>
    new ConstantArrivalRate(
      {
        ...times,
        rate: entry.rate,
        timeUnitMs: positiveMs('timeUnit', entry.timeUnit ?? DEFAULT_TIME_UNIT),
        durationMs: parseDuration(entry.duration),
        preAllocatedVUs: entry.preAllocatedVUs,
        maxVUs: maxVusOfBudget(entry),
      },
      hooks,
    ),
});
