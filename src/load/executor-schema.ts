import { type Static, type TProperties, Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject } from '../config/schema-builders.js';

// The options of each executor in a scenario file, with k6's names, defaults and meaning
// (grafana.com/docs/k6/latest/using-k6/scenarios/executors/). Durations take k6's form ("30s",
// "1m30s") or milliseconds. Loaded values keep the form written: createExecutor() parses them.
//
// The executors form a union, and ajv ignores (strict mode: rejects) `default` inside anyOf/oneOf
// branches, so optional options carry no schema default: K6_DEFAULTS holds k6's values, the
// descriptions say them, and createExecutor() applies them.

/** k6's defaults for the options a scenario may leave out. */
export const K6_DEFAULTS = {
  startTime: '0s',
  gracefulStop: '30s',
  gracefulRampDown: '30s',
  vus: 1,
  startVUs: 1,
  startRate: 0,
  timeUnit: '1s',
} as const;

export const EXECUTOR_TYPES = [
  'constant-vus',
  'ramping-vus',
  'constant-arrival-rate',
  'ramping-arrival-rate',
] as const;
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

const COMMON_PROPERTIES = {
  startTime: Type.Optional(
    Duration({
      description: 'Wait this long after the run starts before the scenario starts. Default: 0s.',
    }),
  ),
  gracefulStop: Type.Optional(
    Duration({
      description:
        'After the duration, iterations still running may finish within this time; then they are interrupted and not counted. Default: 30s.',
    }),
  ),
};

const VuStage = ClosedObject(
  {
    duration: Duration({ description: 'How long the stage lasts; the VU count changes linearly over it.' }),
    target: Type.Integer({ minimum: 0, description: 'VUs at the end of the stage.' }),
  },
  { description: 'A stage: go linearly from the previous VU count to target over duration.' },
);

const RateStage = ClosedObject(
  {
    duration: Duration({ description: 'How long the stage lasts; the rate changes linearly over it.' }),
    target: Type.Number({ minimum: 0, description: 'Iterations per timeUnit at the end of the stage.' }),
  },
  { description: 'A stage: go linearly from the previous rate to target over duration.' },
);

const TIME_UNIT = Type.Optional(
  Duration({
    description:
      'The period rate and targets refer to: rate 10 with timeUnit 1m is 10 iterations a minute. Default: 1s.',
  }),
);
const PRE_ALLOCATED_VUS = Type.Integer({
  minimum: 0,
  description: 'VUs initialised (logged in, connected) before the start.',
});
const MAX_VUS = Type.Optional(
  Type.Integer({
    minimum: 0,
    description:
      'The most VUs the scenario may have; beyond preAllocatedVUs they are initialised during the run when no VU is free. With maxVUs reached and none free, a due iteration is dropped (dropped_iterations). Default: preAllocatedVUs.',
  }),
);

export const CONSTANT_VUS_PROPERTIES = {
  executor: Type.Literal('constant-vus', {
    description: 'A fixed number of VUs run iterations back to back for a duration (closed model).',
  }),
  vus: Type.Optional(Type.Integer({ minimum: 1, description: 'VUs looping at once. Default: 1.' })),
  duration: Duration({ description: 'How long the VUs keep starting iterations.' }),
  ...COMMON_PROPERTIES,
};

export const RAMPING_VUS_PROPERTIES = {
  executor: Type.Literal('ramping-vus', {
    description: 'A number of looping VUs that follows the stages (closed model).',
  }),
  startVUs: Type.Optional(Type.Integer({ minimum: 0, description: 'VUs looping at the start. Default: 1.' })),
  stages: Type.Array(VuStage, { minItems: 1, description: 'Ramps of the VU count, in order.' }),
  gracefulRampDown: Type.Optional(
    Duration({
      description:
        'When the VU count goes down, a VU taken out may finish its iteration within this time; then it is interrupted. Default: 30s.',
    }),
  ),
  ...COMMON_PROPERTIES,
};

export const CONSTANT_ARRIVAL_RATE_PROPERTIES = {
  executor: Type.Literal('constant-arrival-rate', {
    description:
      'Iterations start at a fixed rate whatever the response times (open model); latency counts from each one’s scheduled start.',
  }),
  rate: Type.Number({ exclusiveMinimum: 0, description: 'Iterations started per timeUnit.' }),
  timeUnit: TIME_UNIT,
  duration: Duration({ description: 'How long iterations keep starting.' }),
  preAllocatedVUs: PRE_ALLOCATED_VUS,
  maxVUs: MAX_VUS,
  ...COMMON_PROPERTIES,
};

export const RAMPING_ARRIVAL_RATE_PROPERTIES = {
  executor: Type.Literal('ramping-arrival-rate', {
    description:
      'Iterations start at a rate that follows the stages (open model); latency counts from each one’s scheduled start.',
  }),
  startRate: Type.Optional(
    Type.Number({ minimum: 0, description: 'Iterations per timeUnit at the start. Default: 0.' }),
  ),
  timeUnit: TIME_UNIT,
  stages: Type.Array(RateStage, { minItems: 1, description: 'Ramps of the rate, in order.' }),
  preAllocatedVUs: PRE_ALLOCATED_VUS,
  maxVUs: MAX_VUS,
  ...COMMON_PROPERTIES,
};

export const ConstantVusOptions = ClosedObject(CONSTANT_VUS_PROPERTIES);
export const RampingVusOptions = ClosedObject(RAMPING_VUS_PROPERTIES);
export const ConstantArrivalRateOptions = ClosedObject(CONSTANT_ARRIVAL_RATE_PROPERTIES);
export const RampingArrivalRateOptions = ClosedObject(RAMPING_ARRIVAL_RATE_PROPERTIES);

export type ConstantVusOptions = Static<typeof ConstantVusOptions>;
export type RampingVusOptions = Static<typeof RampingVusOptions>;
export type ConstantArrivalRateOptions = Static<typeof ConstantArrivalRateOptions>;
export type RampingArrivalRateOptions = Static<typeof RampingArrivalRateOptions>;

/** Any executor's options; `executor` tells which. */
export const ExecutorOptions = Type.Union([
  ConstantVusOptions,
  RampingVusOptions,
  ConstantArrivalRateOptions,
  RampingArrivalRateOptions,
]);
export type ExecutorOptions = Static<typeof ExecutorOptions>;

/**
 * Each executor's closed object with the scenario's own keys (`extra`: behaviour, thresholds,
 * tags…) beside its options, as one union: k6 writes a scenario's executor options and its other
 * keys side by side, and each variant rejects keys that belong to no one. `extra` must not carry
 * schema defaults either (see the top of this file).
 */
export function executorVariants<P extends TProperties>(extra: P) {
  return Type.Union([
    ClosedObject({ ...CONSTANT_VUS_PROPERTIES, ...extra }),
    ClosedObject({ ...RAMPING_VUS_PROPERTIES, ...extra }),
    ClosedObject({ ...CONSTANT_ARRIVAL_RATE_PROPERTIES, ...extra }),
    ClosedObject({ ...RAMPING_ARRIVAL_RATE_PROPERTIES, ...extra }),
  ]);
}

/**
 * The rules JSON Schema cannot say, for options that passed the schema; paths are relative to
 * the object holding the options (prefix them with the scenario's path).
 */
export function executorIssues(options: ExecutorOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const positive = (key: 'duration' | 'timeUnit', value: string | number) => {
    if (parseDuration(value) <= 0) issues.push({ path: [key], message: `${key} must be longer than 0s` });
  };
  switch (options.executor) {
    case 'constant-vus':
      positive('duration', options.duration);
      break;
    case 'ramping-vus':
      if (
        (options.startVUs ?? K6_DEFAULTS.startVUs) === 0 &&
        options.stages.every((stage) => stage.target === 0)
      )
        issues.push({ path: ['stages'], message: 'startVUs or a stage target must be more than 0' });
      stagesLastIssue(options.stages, issues);
      break;
    case 'constant-arrival-rate':
      positive('duration', options.duration);
      positive('timeUnit', options.timeUnit ?? K6_DEFAULTS.timeUnit);
      vuIssues(options, issues);
      break;
    case 'ramping-arrival-rate':
      positive('timeUnit', options.timeUnit ?? K6_DEFAULTS.timeUnit);
      if (
        (options.startRate ?? K6_DEFAULTS.startRate) === 0 &&
        options.stages.every((stage) => stage.target === 0)
      )
        issues.push({ path: ['stages'], message: 'startRate or a stage target must be more than 0' });
      stagesLastIssue(options.stages, issues);
      vuIssues(options, issues);
      break;
  }
  return issues;
}

function stagesLastIssue(stages: readonly { duration: string | number }[], issues: ConfigIssue[]): void {
  if (stages.every((stage) => parseDuration(stage.duration) === 0))
    issues.push({ path: ['stages'], message: 'the stages must last longer than 0s in all' });
}

function vuIssues(options: { preAllocatedVUs: number; maxVUs?: number }, issues: ConfigIssue[]): void {
  const { preAllocatedVUs, maxVUs } = options;
  if (maxVUs !== undefined && maxVUs < preAllocatedVUs)
    issues.push({
      path: ['maxVUs'],
      message: `maxVUs (${maxVUs}) must be at least preAllocatedVUs (${preAllocatedVUs})`,
    });
  else if (Math.max(preAllocatedVUs, maxVUs ?? 0) === 0)
    issues.push({ path: ['preAllocatedVUs'], message: 'preAllocatedVUs or maxVUs must be more than 0' });
}
