import { parseDuration } from '../config/duration.js';
import {
  type CapacitySection,
  criteriaOverrides,
  DEFAULT_CAPACITY,
  loopSettingsProblem,
} from '../load/capacity-section.js';
import { scenarioLengthMs } from '../load/executors/create-executor.js';
import type { ScenarioFile } from '../load/scenario.js';
import { type Criterion, resolveCriteria } from '../verdict/capacity-criteria.js';

// What one `mmdrill capacity` run does: the scenario file's `capacity:` section (or the
// defaults), overridden by the command line, checked as a whole.

export interface CapacitySettings {
  /** The scenario whose behaviour the users run. */
  scenarioName: string;
  step: number;
  restMs: number;
  settleMs: number;
  maxUsers: number;
  maxDurationMs: number;
  criteria: Criterion[];
  appNode: { cores: number; memoryMiB?: number };
  targetUsers?: number;
  /** Bounded mode (`--users N`): hold N users for `holdMs` and say whether the criteria held. */
  bounded?: { users: number; holdMs: number };
}

export interface CapacityFlags {
  maxUsers?: number;
  step?: number;
  restMs?: number;
  settleMs?: number;
  maxDurationMs?: number;
  targetUsers?: number;
  users?: number;
  /** Bounded mode's hold; default the scenario's duration. */
  holdMs?: number;
}

/** Throws RangeError with a sentence naming the flag when the combination cannot run. */
export function resolveSettings(scenario: ScenarioFile, flags: CapacityFlags): CapacitySettings {
  const section: CapacitySection = scenario.capacity ?? DEFAULT_CAPACITY;
  const scenarioName = section.scenario ?? Object.keys(scenario.scenarios)[0];
  const entry = scenarioName === undefined ? undefined : scenario.scenarios[scenarioName];
  if (scenarioName === undefined || entry === undefined)
    throw new RangeError(
      `scenario ${scenario.name} has no scenarios: the capacity search needs one for its users`,
    );
  const settings: CapacitySettings = {
    scenarioName,
    step: flags.step ?? section.step,
    restMs: flags.restMs ?? parseDuration(section.rest),
    settleMs: flags.settleMs ?? parseDuration(section.settle),
    maxUsers: flags.maxUsers ?? section.maxUsers,
    maxDurationMs: flags.maxDurationMs ?? parseDuration(section.maxDuration),
    criteria: resolveCriteria(criteriaOverrides(section)),
    appNode: section.appNode,
    ...(flags.targetUsers !== undefined && { targetUsers: flags.targetUsers }),
  };
  if (flags.users !== undefined) {
    settings.bounded = { users: flags.users, holdMs: flags.holdMs ?? scenarioLengthMs(entry) };
    settings.maxUsers = Math.max(settings.maxUsers, flags.users);
  }
  const problem = loopSettingsProblem({
    stepUsers: settings.step,
    maxUsers: settings.maxUsers,
    restS: settings.restMs / 1000,
    settleS: settings.settleMs / 1000,
  });
  if (problem !== undefined) throw new RangeError(flagged(problem, flags));
  if (settings.criteria.length === 0) throw new RangeError('every criterion is turned off: nothing to judge');
  return settings;
}

/** The problem with the flag that set the value named in it (`--max-users 4: …`). */
function flagged(problem: string, flags: CapacityFlags): string {
  if (problem.startsWith('the maximum') && flags.maxUsers !== undefined)
    return `--max-users ${flags.maxUsers}: ${problem}`;
  if (problem.startsWith('step') && flags.step !== undefined) return `--step ${flags.step}: ${problem}`;
  if (problem.startsWith('the maximum') && flags.step !== undefined)
    return `--step ${flags.step}: ${problem}`;
  if (problem.startsWith('the settle') && flags.settleMs !== undefined) return `--settle: ${problem}`;
  return problem;
}
