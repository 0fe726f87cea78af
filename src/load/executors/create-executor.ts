import { parseDuration } from '../../config/duration.js';
import type { ExecutorOptions } from '../executor-schema.js';
import { COMMON_DEFAULTS } from './define-executor.js';
import type { ScenarioExecutor } from './executor-base.js';
import { executorKind } from './registry.js';
import type { ExecutorHooks } from './vu-pool.js';

export type { ExecutorTiming, ScenarioExecutor } from './executor-base.js';
export type { ExecutorHooks } from './vu-pool.js';

/**
 * The executor for a scenario's options as loaded (durations as written); options left out take
 * k6's defaults. Options should have passed executorIssues(); what still cannot run throws.
 */
export function createExecutor(options: ExecutorOptions, hooks?: ExecutorHooks): ScenarioExecutor {
  const times = {
    startTimeMs: parseDuration(options.startTime ?? COMMON_DEFAULTS.startTime),
    gracefulStopMs: parseDuration(options.gracefulStop ?? COMMON_DEFAULTS.gracefulStop),
  };
  return executorKind(options.executor).create(options, times, hooks);
}

/** How long the scenario starts iterations (startTime and gracefulStop excluded), ms. */
export function scenarioLengthMs(options: ExecutorOptions): number {
  return executorKind(options.executor).lengthMs(options);
}

/** The most VUs the scenario can have. */
export function maxVusOf(options: ExecutorOptions): number {
  return executorKind(options.executor).maxVus(options);
}
