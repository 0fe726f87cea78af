import type { RunOverrides } from './executors/define-executor.js';
import { executorKind } from './executors/registry.js';
import type { ScenarioEntry } from './scenario.js';

export type { RunOverrides } from './executors/define-executor.js';

/**
 * `mmdrill run --users N --duration D`: every scenario reshaped without editing its file, each
 * by its executor (closed-model scenarios take N VUs, open-model ones keep their rate and VU
 * budget since their load is the rate; D sets durations or scales stages to it).
 */
export function applyOverrides(
  scenarios: Record<string, ScenarioEntry>,
  overrides: RunOverrides,
): Record<string, ScenarioEntry> {
  const out: Record<string, ScenarioEntry> = {};
  for (const [name, entry] of Object.entries(scenarios))
    out[name] = { ...entry, ...executorKind(entry.executor).override(entry, overrides) } as ScenarioEntry;
  return out;
}
