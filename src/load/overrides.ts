import { formatDuration, parseDuration } from '../config/duration.js';
import type { ScenarioEntry } from './scenario.js';

/** `mmdrill run --users N --duration D`: reshape every scenario without editing its file. */
export interface RunOverrides {
  users?: number;
  durationMs?: number;
}

/**
 * --users sets the VU count of closed-model scenarios (stage targets scaled so the peak is N);
 * open-model scenarios keep their rate and VU budget (their load is the rate, not the users).
 * --duration sets constant executors' duration and scales the stages of ramping ones to it.
 */
export function applyOverrides(
  scenarios: Record<string, ScenarioEntry>,
  overrides: RunOverrides,
): Record<string, ScenarioEntry> {
  const out: Record<string, ScenarioEntry> = {};
  for (const [name, entry] of Object.entries(scenarios)) out[name] = reshape(entry, overrides);
  return out;
}

function reshape(entry: ScenarioEntry, { users, durationMs }: RunOverrides): ScenarioEntry {
  const duration = durationMs === undefined ? undefined : formatDuration(durationMs);
  switch (entry.executor) {
    case 'constant-vus':
      return { ...entry, ...(users !== undefined && { vus: users }), ...(duration && { duration }) };
    case 'constant-arrival-rate':
      return { ...entry, ...(duration && { duration }) };
    case 'ramping-vus': {
      const peak = Math.max(entry.startVUs ?? 1, ...entry.stages.map((s) => s.target));
      const factor = users !== undefined && peak > 0 ? users / peak : 1;
      return {
        ...entry,
        startVUs: Math.round((entry.startVUs ?? 1) * factor),
        stages: scaleStages(entry.stages, durationMs).map((s) => ({
          ...s,
          target: Math.round(s.target * factor),
        })),
      };
    }
    case 'ramping-arrival-rate':
      return { ...entry, stages: scaleStages(entry.stages, durationMs) };
  }
}

function scaleStages<S extends { duration: string | number }>(stages: S[], totalMs: number | undefined): S[] {
  if (totalMs === undefined) return stages;
  const current = stages.reduce((sum, s) => sum + parseDuration(s.duration), 0);
  if (current <= 0) return stages;
  return stages.map((s) => ({
    ...s,
    duration: formatDuration(Math.max(1, Math.round((parseDuration(s.duration) * totalMs) / current))),
  }));
}
