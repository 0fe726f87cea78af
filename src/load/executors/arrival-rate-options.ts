import { Type } from '@sinclair/typebox';
import { Duration } from '../../config/duration.js';
import type { ConfigIssue } from '../../config/load.js';

// The options both arrival-rate executors share (timeUnit and the VU budget), with their checks,
// written once for constant-arrival-rate and ramping-arrival-rate.

/** k6's default timeUnit. */
export const DEFAULT_TIME_UNIT = '1s';

export const TIME_UNIT = Type.Optional(
  Duration({
    description:
      'The period rate and targets refer to: rate 10 with timeUnit 1m is 10 iterations a minute. Default: 1s.',
  }),
);

export const PRE_ALLOCATED_VUS = Type.Integer({
  minimum: 0,
  description: 'VUs initialised (logged in, connected) before the start.',
});

export const MAX_VUS = Type.Optional(
  Type.Integer({
    minimum: 0,
    description:
      'The most VUs the scenario may have; beyond preAllocatedVUs they are initialised during the run when no VU is free. With maxVUs reached and none free, a due iteration is dropped (dropped_iterations). Default: preAllocatedVUs.',
  }),
);

export interface VuBudget {
  preAllocatedVUs: number;
  maxVUs?: number;
}

/** maxVUs defaults to preAllocatedVUs. */
export function maxVusOfBudget({ preAllocatedVUs, maxVUs }: VuBudget): number {
  return maxVUs ?? preAllocatedVUs;
}

export function vuBudgetIssues({ preAllocatedVUs, maxVUs }: VuBudget): ConfigIssue[] {
  if (maxVUs !== undefined && maxVUs < preAllocatedVUs)
    return [
      {
        path: ['maxVUs'],
        message: `maxVUs (${maxVUs}) must be at least preAllocatedVUs (${preAllocatedVUs})`,
      },
    ];
  if (Math.max(preAllocatedVUs, maxVUs ?? 0) === 0)
    return [{ path: ['preAllocatedVUs'], message: 'preAllocatedVUs or maxVUs must be more than 0' }];
  return [];
}
