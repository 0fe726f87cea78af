import { type Static, type TObject, type TProperties, type TUnion, Type } from '@sinclair/typebox';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject } from '../config/schema-builders.js';
import { EXECUTORS, type ExecutorType, executorKind } from './executors/registry.js';

// The options of each executor in a scenario file, with k6's names, defaults and meaning
// (grafana.com/docs/k6/latest/using-k6/scenarios/executors/). Durations take k6's form ("30s",
// "1m30s") or milliseconds. Loaded values keep the form written: createExecutor() parses them.
// Each executor's own fields, defaults and rules live in its file (executors/registry.ts lists
// them); this file puts them together as the scenario file's union.

export { EXECUTOR_TYPES, type ExecutorType } from './executors/registry.js';

type Registry = typeof EXECUTORS;

/** Each executor's closed object with the properties `extra` beside its own, as a union member. */
type Variant<X extends TProperties> = {
  [K in ExecutorType]: TObject<Registry[K]['properties'] & X>;
}[ExecutorType];

/**
 * Each executor's closed object with the scenario's own keys (`extra`: behaviour, thresholds,
 * tags…) beside its options, as one union: k6 writes a scenario's executor options and its other
 * keys side by side, and each variant rejects keys that belong to no one. `extra` must not carry
 * schema defaults (ajv ignores defaults inside a union; see executors/define-executor.ts).
 */
export function executorVariants<X extends TProperties>(extra: X): TUnion<Variant<X>[]> {
  return Type.Union(
    Object.values(EXECUTORS).map((kind) => ClosedObject({ ...kind.properties, ...extra })),
  ) as unknown as TUnion<Variant<X>[]>;
}

/** Any executor's options; `executor` tells which. */
export const ExecutorOptions = executorVariants({});
export type ExecutorOptions = Static<typeof ExecutorOptions>;

/**
 * The rules JSON Schema cannot say, for options that passed the schema; paths are relative to
 * the object holding the options (prefix them with the scenario's path).
 */
export function executorIssues(options: ExecutorOptions): ConfigIssue[] {
  return executorKind(options.executor).checks(options);
}
