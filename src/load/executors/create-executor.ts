import { parseDuration } from '../../config/duration.js';
import { type ExecutorOptions, K6_DEFAULTS } from '../executor-schema.js';
import { ConstantArrivalRate } from './constant-arrival-rate.js';
import { ConstantVus } from './constant-vus.js';
import type { ScenarioExecutor } from './executor-base.js';
import { RampingArrivalRate } from './ramping-arrival-rate.js';
import { RampingVus } from './ramping-vus.js';
import type { ExecutorHooks } from './vu-pool.js';

export type { ExecutorTiming, ScenarioExecutor } from './executor-base.js';
export type { ExecutorHooks } from './vu-pool.js';

/**
 * The executor for a scenario's options as loaded (durations as written); options left out take
 * k6's defaults (K6_DEFAULTS). Options should have passed executorIssues(); what still cannot
 * run throws.
 */
export function createExecutor(options: ExecutorOptions, hooks?: ExecutorHooks): ScenarioExecutor {
  const common = {
    startTimeMs: parseDuration(options.startTime ?? K6_DEFAULTS.startTime),
    gracefulStopMs: parseDuration(options.gracefulStop ?? K6_DEFAULTS.gracefulStop),
  };
  switch (options.executor) {
    case 'constant-vus':
      return new ConstantVus(
        { ...common, vus: options.vus ?? K6_DEFAULTS.vus, durationMs: parseDuration(options.duration) },
        hooks,
      );
    case 'ramping-vus':
      return new RampingVus(
        {
          ...common,
          startVUs: options.startVUs ?? K6_DEFAULTS.startVUs,
          stages: parseStages(options.stages),
          gracefulRampDownMs: parseDuration(options.gracefulRampDown ?? K6_DEFAULTS.gracefulRampDown),
        },
        hooks,
      );
    case 'constant-arrival-rate':
      return new ConstantArrivalRate(
        {
          ...common,
          rate: options.rate,
          timeUnitMs: positive('timeUnit', parseDuration(options.timeUnit ?? K6_DEFAULTS.timeUnit)),
          durationMs: parseDuration(options.duration),
          preAllocatedVUs: options.preAllocatedVUs,
          maxVUs: options.maxVUs ?? options.preAllocatedVUs,
        },
        hooks,
      );
    case 'ramping-arrival-rate':
      return new RampingArrivalRate(
        {
          ...common,
          startRate: options.startRate ?? K6_DEFAULTS.startRate,
          timeUnitMs: positive('timeUnit', parseDuration(options.timeUnit ?? K6_DEFAULTS.timeUnit)),
          stages: parseStages(options.stages),
          preAllocatedVUs: options.preAllocatedVUs,
          maxVUs: options.maxVUs ?? options.preAllocatedVUs,
        },
        hooks,
      );
  }
}

function parseStages(stages: readonly { duration: string | number; target: number }[]) {
  return stages.map((stage) => ({ durationMs: parseDuration(stage.duration), target: stage.target }));
}

function positive(name: string, ms: number): number {
  if (ms <= 0) throw new RangeError(`${name} must be longer than 0s`);
  return ms;
}
