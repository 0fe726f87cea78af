import { Type } from '@sinclair/typebox';
import {
  DEFAULT_TIME_UNIT,
  MAX_VUS,
  maxVusOfBudget,
  PRE_ALLOCATED_VUS,
  TIME_UNIT,
  vuBudgetIssues,
} from './arrival-rate-options.js';
import { type RateStage, rampingArrivals } from './arrival-schedule.js';
import { ArrivalDispatcher, runArrivals } from './arrivals.js';
import { sleepUntil } from './clock.js';
import { defineExecutor, optionalK6Duration, positiveDurationIssues, positiveMs } from './define-executor.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import {
  k6Stages,
  parseStages,
  RateStageSchema,
  scaleStages,
  stagesIssues,
  stagesLengthMs,
} from './stages.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

// k6's ramping-arrival-rate: iterations start at a rate that follows stages (open model). The
// executor class, then its definition: scenario-file options, defaults, checks, overrides, k6 export.

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

const DEFAULTS = { startRate: 0, timeUnit: DEFAULT_TIME_UNIT } as const;

export const rampingArrivalRate = defineExecutor({
  type: 'ramping-arrival-rate',
  description:
    'Iterations start at a rate that follows the stages (open model); latency counts from each one’s scheduled start.',
  openModel: true,
  fields: {
    startRate: Type.Optional(
      Type.Number({ minimum: 0, description: 'Iterations per timeUnit at the start. Default: 0.' }),
    ),
    timeUnit: TIME_UNIT,
    stages: Type.Array(RateStageSchema, { minItems: 1, description: 'Ramps of the rate, in order.' }),
    preAllocatedVUs: PRE_ALLOCATED_VUS,
    maxVUs: MAX_VUS,
  },
  defaults: DEFAULTS,
  checks: (entry) => [
    ...positiveDurationIssues('timeUnit', entry.timeUnit ?? DEFAULTS.timeUnit),
    ...stagesIssues(entry.startRate ?? DEFAULTS.startRate, 'startRate', entry.stages),
    ...vuBudgetIssues(entry),
  ],
  maxVus: maxVusOfBudget,
  lengthMs: (entry) => stagesLengthMs(entry.stages),
  // The load is the rate, not the users: --users leaves it alone; --duration scales the stages.
  override: (entry, { durationMs }) => ({ stages: scaleStages(entry.stages, durationMs) }),
  k6: (entry) => ({
    startRate: entry.startRate,
    timeUnit: optionalK6Duration(entry.timeUnit),
    stages: k6Stages(entry.stages),
    preAllocatedVUs: entry.preAllocatedVUs,
    maxVUs: entry.maxVUs,
  }),
  create: (entry, times, hooks) =>
    new RampingArrivalRate(
      {
        ...times,
        startRate: entry.startRate ?? DEFAULTS.startRate,
        timeUnitMs: positiveMs('timeUnit', entry.timeUnit ?? DEFAULTS.timeUnit),
        stages: parseStages(entry.stages),
        preAllocatedVUs: entry.preAllocatedVUs,
        maxVUs: maxVusOfBudget(entry),
      },
      hooks,
    ),
});
