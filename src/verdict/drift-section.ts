import { type Static, Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject } from '../config/schema-builders.js';
import { DRIFT_SERIES_UNITS } from './drift.js';
import { type DriftThreshold, parseDriftThresholds } from './drift-thresholds.js';

// A scenario's `drift:` section: how long a window is (a minute for a nightly soak, seconds for a
// CI soak, which is the time scaling), how much of the start to leave out, from which run length
// drift is judged at all, and the thresholds on the trends.
//   drift:
//     window: 1m
//     warmup: 5m
//     thresholds:
//       mm_app_rss_slope: ["value<1MB/min"]

export const DriftSectionSchema = ClosedObject(
  {
    window: Duration({
      default: '1m',
      description: 'Length of one window: one point per series per window.',
    }),
    warmup: Duration({
      default: '2m',
      description: 'Start of the load left out (caches filling, JIT, connection pools growing).',
    }),
    minLength: Duration({
      default: '0s',
      description: 'Runs shorter than this (e.g. a --duration smoke run) record no drift.',
    }),
    thresholds: Type.Record(Type.String(), Type.Array(Type.String(), { minItems: 1 }), {
      default: {},
      description:
        "Drift thresholds: <series>_slope (per minute; units B/KB/MB/GB, ms/s, % with /s, /min, /h) or <series>_change (first vs last window, in %), e.g. mm_app_rss_slope: ['value<1MB/min'].",
    }),
  },
  { description: 'Drift verdicts for long runs: per-window trends, their slopes and thresholds on them.' },
);

export type DriftSection = Static<typeof DriftSectionSchema>;

export interface DriftSettings {
  windowMs: number;
  warmupMs: number;
  minLengthMs: number;
  thresholds: DriftThreshold[];
}

/** Problems the schema cannot see (threshold names and expressions, durations), located under `drift`. */
export function driftSectionIssues(section: DriftSection): ConfigIssue[] {
  const issues = parseDriftThresholds(section.thresholds, DRIFT_SERIES_UNITS, ['thresholds']).problems;
  if (parseDuration(section.window) < 1000)
    issues.push({ path: ['window'], message: 'a drift window must be at least 1s' });
  return issues;
}

export function driftSettings(section: DriftSection): DriftSettings {
  return {
    windowMs: parseDuration(section.window),
    warmupMs: parseDuration(section.warmup),
    minLengthMs: parseDuration(section.minLength),
    thresholds: parseDriftThresholds(section.thresholds, DRIFT_SERIES_UNITS).thresholds,
  };
}
