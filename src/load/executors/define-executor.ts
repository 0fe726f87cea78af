import { type Static, type TLiteral, type TObject, type TProperties, Type } from '@sinclair/typebox';
import { Duration, type DurationValue, formatDuration, parseDuration } from '../../config/duration.js';
import type { ConfigIssue } from '../../config/load.js';
import type { ScenarioExecutor } from './executor-base.js';
import type { ExecutorHooks } from './vu-pool.js';

// What one executor is, in one place (as k6 keeps one file per executor: config, defaults,
// validation, creation). An executor file calls defineExecutor() with its scenario-file fields,
// k6's defaults, the checks its schema cannot say, its VU budget and length, how `--users` and
// `--duration` reshape it, its k6 export and its factory; registry.ts lists the executors. The
// generic code (scenario schema, checks, overrides, behaviour sizing, k6 export, drill length)
// asks the definition instead of switching over executor names, so adding an executor is its
// file plus one registration line.
//
// The executors form a union in the scenario schema, and ajv ignores (strict mode: rejects)
// `default` inside anyOf/oneOf branches, so optional options carry no schema default: each
// definition's `defaults` holds k6's values, the descriptions say them, and the definition
// applies them.

/** k6's defaults for the options every executor has. */
export const COMMON_DEFAULTS = { startTime: '0s', gracefulStop: '30s' } as const;

/** The options every executor has besides `executor` and its own. */
export const COMMON_PROPERTIES = {
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

/** The schema properties of one executor's options: `executor`, its own, the common ones. */
export type ExecutorProperties<T extends string, P extends TProperties> = {
  executor: TLiteral<T>;
} & P &
  typeof COMMON_PROPERTIES;

/** An executor's options as loaded (durations as written). */
export type ExecutorEntry<T extends string, P extends TProperties> = Static<
  TObject<ExecutorProperties<T, P>>
>;

/** What every executor's options have, for the generic code. */
export interface ExecutorEntryBase {
  executor: string;
  startTime?: DurationValue;
  gracefulStop?: DurationValue;
}

/** `mmdrill run --users N --duration D`: reshape every scenario without editing its file. */
export interface RunOverrides {
  users?: number;
  durationMs?: number;
}

/** The common options in milliseconds, k6's defaults applied. */
export interface ExecutorTimes {
  startTimeMs: number;
  gracefulStopMs: number;
}

export interface K6Stage {
  duration: string;
  target: number;
}

/** An executor's own options in k6's form (k6's names are mmdrill's; durations in Go's form). */
export type K6ExecutorFields = Record<string, string | number | K6Stage[] | undefined>;

/** One executor, as the generic code uses it. */
export interface ExecutorKind<E = ExecutorEntryBase> {
  readonly type: string;
  readonly description: string;
  /** Arrival-rate executors: the schedule sets the pace (k6's open model). */
  readonly openModel: boolean;
  /** The properties of its options in a scenario file: `executor`, its own, the common ones. */
  readonly properties: TProperties;
  /** k6's values for its own options left out. */
  readonly defaults: Readonly<Record<string, DurationValue>>;
  /** Rules beyond the schema; issue paths are relative to the object holding the options. */
  checks(entry: E): ConfigIssue[];
  /** The most VUs the scenario can have (its share of the seeded accounts). */
  maxVus(entry: E): number;
  /** How long it starts iterations (startTime and gracefulStop excluded), ms. */
  lengthMs(entry: E): number;
  /** The options `--users` / `--duration` change, with their new values. */
  override(entry: E, overrides: RunOverrides): Partial<E>;
  /** Its own options in k6's form (`executor`, the common options and `exec` are added). */
  k6(entry: E): K6ExecutorFields;
  /** Its executor; options should have passed checks(). */
  create(entry: E, times: ExecutorTimes, hooks?: ExecutorHooks): ScenarioExecutor;
}

/** What defineExecutor() returns: the kind, with its name and properties typed exactly. */
export type DefinedExecutor<T extends string, P extends TProperties> = Omit<
  ExecutorKind<ExecutorEntry<T, P>>,
  'type' | 'properties'
> & { readonly type: T; readonly properties: ExecutorProperties<T, P> };

export interface ExecutorDefinition<T extends string, P extends TProperties> {
  type: T;
  description: string;
  openModel: boolean;
  /** Its own options (k6's names). No schema defaults: see the top of this file. */
  fields: P;
  defaults?: Readonly<Record<string, DurationValue>>;
  checks?(entry: ExecutorEntry<T, P>): ConfigIssue[];
  maxVus(entry: ExecutorEntry<T, P>): number;
  lengthMs(entry: ExecutorEntry<T, P>): number;
  override(entry: ExecutorEntry<T, P>, overrides: RunOverrides): Partial<ExecutorEntry<T, P>>;
  k6(entry: ExecutorEntry<T, P>): K6ExecutorFields;
  create(entry: ExecutorEntry<T, P>, times: ExecutorTimes, hooks?: ExecutorHooks): ScenarioExecutor;
}

/** An executor from its definition: builds its schema properties and fills the optional parts. */
export function defineExecutor<const T extends string, P extends TProperties>(
  definition: ExecutorDefinition<T, P>,
): DefinedExecutor<T, P> {
  const properties = {
    executor: Type.Literal(definition.type, { description: definition.description }),
    ...definition.fields,
    ...COMMON_PROPERTIES,
  } as ExecutorProperties<T, P>;
  return {
    type: definition.type,
    description: definition.description,
    openModel: definition.openModel,
    properties,
    defaults: definition.defaults ?? {},
    checks: (entry) => definition.checks?.(entry) ?? [],
    maxVus: (entry) => definition.maxVus(entry),
    lengthMs: (entry) => definition.lengthMs(entry),
    override: (entry, overrides) => definition.override(entry, overrides),
    k6: (entry) => definition.k6(entry),
    create: (entry, times, hooks) => definition.create(entry, times, hooks),
  };
}

/** k6 durations are Go durations: `1m30s`, `500ms`. */
export function k6Duration(value: DurationValue): string {
  return formatDuration(parseDuration(value));
}

/** An optional duration in k6's form (left out when absent). */
export function optionalK6Duration(value: DurationValue | undefined): string | undefined {
  return value === undefined ? undefined : k6Duration(value);
}

/** An issue when a duration option is not longer than 0. */
export function positiveDurationIssues(key: string, value: DurationValue): ConfigIssue[] {
  return parseDuration(value) > 0 ? [] : [{ path: [key], message: `${key} must be longer than 0s` }];
}

/** A positive duration in ms, or a RangeError (for options that skipped the checks). */
export function positiveMs(name: string, value: DurationValue): number {
  const ms = parseDuration(value);
  if (ms <= 0) throw new RangeError(`${name} must be longer than 0s`);
  return ms;
}
