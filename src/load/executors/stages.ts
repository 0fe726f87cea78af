import { Type } from '@sinclair/typebox';
import { Duration, type DurationValue, formatDuration, parseDuration } from '../../config/duration.js';
import type { ConfigIssue } from '../../config/load.js';
import { ClosedObject } from '../../config/schema-builders.js';
import { type K6Stage, k6Duration } from './define-executor.js';

// The stages of the ramping executors (ramping-vus, ramping-arrival-rate): their schema, length,
// checks, scaling by `--duration` and k6 form, written once for both.

/** A stage as written in a scenario file. */
export interface StageEntry {
  duration: DurationValue;
  target: number;
}

export const VuStageSchema = ClosedObject(
  {
    duration: Duration({ description: 'How long the stage lasts; the VU count changes linearly over it.' }),
    target: Type.Integer({ minimum: 0, description: 'VUs at the end of the stage.' }),
  },
  { description: 'A stage: go linearly from the previous VU count to target over duration.' },
);

export const RateStageSchema = ClosedObject(
  {
    duration: Duration({ description: 'How long the stage lasts; the rate changes linearly over it.' }),
    target: Type.Number({ minimum: 0, description: 'Iterations per timeUnit at the end of the stage.' }),
  },
  { description: 'A stage: go linearly from the previous rate to target over duration.' },
);

/** The stages' total length, ms. */
export function stagesLengthMs(stages: readonly StageEntry[]): number {
  return stages.reduce((sum, stage) => sum + parseDuration(stage.duration), 0);
}

/**
 * The issues of stages whose targets and start are all 0 (`startKey` names the start option),
 * or whose durations add up to 0.
 */
export function stagesIssues(start: number, startKey: string, stages: readonly StageEntry[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (start === 0 && stages.every((stage) => stage.target === 0))
    issues.push({ path: ['stages'], message: `${startKey} or a stage target must be more than 0` });
  if (stagesLengthMs(stages) === 0)
    issues.push({ path: ['stages'], message: 'the stages must last longer than 0s in all' });
  return issues;
}

/** The stages with durations in ms, for the executors. */
export function parseStages(stages: readonly StageEntry[]): { durationMs: number; target: number }[] {
  return stages.map((stage) => ({ durationMs: parseDuration(stage.duration), target: stage.target }));
}

/** The stages stretched or shrunk to last `totalMs` in all (unchanged when undefined). */
export function scaleStages<S extends StageEntry>(stages: S[], totalMs: number | undefined): S[] {
  if (totalMs === undefined) return stages;
  const current = stagesLengthMs(stages);
  if (current <= 0) return stages;
  return stages.map((s) => ({
    ...s,
    duration: formatDuration(Math.max(1, Math.round((parseDuration(s.duration) * totalMs) / current))),
  }));
}

export function k6Stages(stages: readonly StageEntry[]): K6Stage[] {
  return stages.map((s) => ({ duration: k6Duration(s.duration), target: s.target }));
}
