import { type Static, Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject, PatternString } from '../config/schema-builders.js';
import { CRITERION_IDS } from '../summary/capacity-schema.js';
import { type CriteriaOverrides, REFERENCE_CRITERIA } from '../verdict/capacity-criteria.js';

// The `capacity:` section of a scenario file: how `mmdrill capacity` searches (step, rest, settle
// window, maximum) and which criteria it judges with. Every key is optional; the command line
// overrides the search settings.

const Limit = (id: (typeof CRITERION_IDS)[number]) => {
  const info = REFERENCE_CRITERIA[id];
  const unit = info.unit === 'ms' ? 'milliseconds' : 'a share (0.00025 = 0.025 %)';
  return Type.Optional(
    Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Literal(false)], {
      errorMessage: 'expected a limit (a number above 0) or false',
      description: `${info.check}: breached at or above this limit, in ${unit} (reference ${info.limit}); false leaves it out.`,
    }),
  );
};

export const CapacitySectionSchema = ClosedObject(
  {
    scenario: Type.Optional(
      PatternString('^[A-Za-z0-9_-]+$', 'expected a scenario name', {
        description: 'Which of the scenarios the users run (default: the first).',
      }),
    ),
    step: Type.Integer({ minimum: 1, default: 8, description: 'Users added or removed per step.' }),
    rest: Duration({
      default: '2s',
      description: 'Wait this long after a change before adding users again.',
    }),
    settle: Duration({
      default: '30m',
      description:
        'Settle window: stop once the active users over it have a least-squares slope below 0.2 users/s.',
    }),
    maxUsers: Type.Integer({ minimum: 1, default: 2000, description: 'Never more users than this.' }),
    maxDuration: Duration({ default: '3h', description: 'Stop the search after this long, settled or not.' }),
    criteria: ClosedObject(Object.fromEntries(CRITERION_IDS.map((id) => [id, Limit(id)])), {
      default: {},
      description: "Limits replacing the reference criteria's (or false to leave one out).",
    }),
    appNode: ClosedObject(
      {
        cores: Type.Number({
          exclusiveMinimum: 0,
          default: 1,
          description:
            'CPU cores of one app node: app-cpu is its CPU time per second over this (the test double uses one).',
        }),
        memoryMiB: Type.Optional(
          Type.Integer({
            minimum: 1,
            description:
              "Memory of one app node in MiB: app-memory is its resident memory over this (default: this machine's).",
          }),
        ),
      },
      { default: {}, description: 'What one app node has, to turn its CPU and memory into shares.' },
    ),
  },
  { description: 'How `mmdrill capacity` searches for the supported user count.' },
);

export type CapacitySection = Static<typeof CapacitySectionSchema>;

export const DEFAULT_CAPACITY: CapacitySection = {
  step: 8,
  rest: '2s',
  settle: '30m',
  maxUsers: 2000,
  maxDuration: '3h',
  criteria: {},
  appNode: { cores: 1 },
};

export function criteriaOverrides(section: CapacitySection): CriteriaOverrides {
  return section.criteria as CriteriaOverrides;
}

/** Rules the schema cannot say; paths relative to the section. */
export function capacitySectionIssues(
  section: CapacitySection,
  scenarioNames: readonly string[],
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (section.scenario !== undefined && !scenarioNames.includes(section.scenario))
    issues.push({
      path: ['scenario'],
      message: `no scenario named "${section.scenario}" (the file has ${scenarioNames.join(', ')})`,
    });
  const problem = loopSettingsProblem({
    stepUsers: section.step,
    maxUsers: section.maxUsers,
    restS: parseDuration(section.rest) / 1000,
    settleS: parseDuration(section.settle) / 1000,
  });
  if (problem !== undefined)
    issues.push({
      path: [
        problem.startsWith('the maximum') ? 'maxUsers' : problem.startsWith('the settle') ? 'settle' : 'step',
      ],
      message: problem,
    });
  return issues;
}

/** The search's steps, as the feedback loop counts them. */
export interface SearchSteps {
  stepUsers: number;
  /** Seconds without a change before the next step up. */
  restS: number;
  /** Seconds the settle window spans. */
  settleS: number;
  maxUsers: number;
}

/** What is wrong with the settings, in a sentence; undefined when they work. */
export function loopSettingsProblem(s: SearchSteps): string | undefined {
  if (!Number.isInteger(s.stepUsers) || s.stepUsers < 1)
    return `step must be a whole number ≥ 1 (got ${s.stepUsers})`;
  if (!Number.isInteger(s.maxUsers) || s.maxUsers < s.stepUsers)
    return `the maximum users (${s.maxUsers}) must be at least one step (${s.stepUsers})`;
  if (!(s.restS >= 0)) return `rest must not be negative (got ${s.restS} s)`;
  if (!(s.settleS > 0)) return `the settle window must be longer than 0 s (got ${s.settleS} s)`;
  return undefined;
}
