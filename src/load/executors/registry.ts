import { constantArrivalRate } from './constant-arrival-rate.js';
import { constantVus } from './constant-vus.js';
import type { ExecutorEntryBase, ExecutorKind } from './define-executor.js';
import { rampingArrivalRate } from './ramping-arrival-rate.js';
import { rampingVus } from './ramping-vus.js';

// Every executor a scenario file may name, by that name. A new executor: its file here (a
// defineExecutor() beside its class), and one line below. The order is the order of the
// variants in the published scenario schema.

export const EXECUTORS = {
  'constant-vus': constantVus,
  'ramping-vus': rampingVus,
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
} as const;

export type ExecutorType = keyof typeof EXECUTORS;

export const EXECUTOR_TYPES = Object.keys(EXECUTORS) as ExecutorType[];

/** The executor by name, typed for the generic code that handles any executor. */
export function executorKind(type: ExecutorType): ExecutorKind<ExecutorEntryBase> {
  return EXECUTORS[type] as unknown as ExecutorKind<ExecutorEntryBase>;
}
