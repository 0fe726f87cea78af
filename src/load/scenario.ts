import { type Static, Type } from '@sinclair/typebox';
import { Duration } from '../config/duration.js';
import { type ConfigIssue, loadConfigFile } from '../config/load.js';
import { ClosedObject, PatternString, StringEnum } from '../config/schema-builders.js';
import { LOOP_ACTION_NAMES, USER_ACTION_NAMES } from '../mattermost/actions/catalogue.js';
import { DriftSectionSchema, driftSectionIssues } from '../verdict/drift-section.js';
import { TARGET_SET_NAMES } from '../verdict/target-sets.js';
import { parseThresholds } from '../verdict/thresholds.js';
import { ThresholdsSchema } from '../verdict/thresholds-schema.js';
import { CallsSectionSchema, callsIssues } from './calls/calls-schema.js';
import { CapacitySectionSchema, capacitySectionIssues } from './capacity-section.js';
import { executorIssues, executorVariants } from './executor-schema.js';

// A scenario file: k6's shape (named scenarios, each an executor with its options, plus
// thresholds), with what each scenario's iterations do — the Mattermost user model or a fixed
// action loop — and the data set it needs. Published as schemas/scenario.schema.json.

const ActionLoopSchema = ClosedObject(
  {
    actions: Type.Array(StringEnum(LOOP_ACTION_NAMES, { description: 'An action of the loop.' }), {
      minItems: 1,
      description: 'Actions run in this order, one pass per iteration.',
    }),
  },
  { description: 'A fixed action loop (for exact request mixes: accuracy tests, benchmarks).' },
);

// No schema default here: ajv ignores defaults inside the executor union; absent means user-model.
const ExecSchema = Type.Optional(
  Type.Union([Type.Literal('user-model'), ActionLoopSchema], {
    errorMessage: 'expected "user-model" or { actions: [...] }',
    description:
      'What each iteration does: "user-model" (default: one action of the production mix) or a fixed action loop.',
  }),
);

const ScenarioSchema = executorVariants({
  exec: ExecSchema,
  tags: Type.Optional(
    Type.Record(Type.String(), Type.String(), {
      description: 'Tags added to every metric of this scenario.',
    }),
  ),
});

const Weights = ClosedObject(
  Object.fromEntries(
    USER_ACTION_NAMES.map((name) => [
      name,
      Type.Optional(Type.Number({ minimum: 0, description: `Weight of ${name}.` })),
    ]),
  ),
  { description: 'Relative frequencies replacing the production ones (0 removes an action).' },
);

const UserModelSchema = ClosedObject(
  {
    mix: Type.Union([Type.Literal('production'), Type.Literal('loadtest-ng'), Weights], {
      default: 'production',
      errorMessage: 'expected "production", "loadtest-ng" or a map of action weights',
      description:
        "The action mix: Mattermost's production mix, load-test-ng's simulcontroller mix (every action at its frequency, comparable with the reference tiers), or weights by action (over the production mix).",
    }),
    only: Type.Optional(
      Type.Array(StringEnum(USER_ACTION_NAMES, { description: 'An action.' }), {
        minItems: 1,
        description: 'Only these actions of the mix.',
      }),
    ),
    idle: ClosedObject(
      {
        min: Duration({ default: '1s', description: 'Shortest idle time between two actions of a user.' }),
        avg: Duration({
          default: '20s',
          description: 'Average idle time (before the per-user rate factor).',
        }),
      },
      { default: {}, description: "Idle time between a user's actions (closed-model executors only)." },
    ),
    statusInterval: Duration({
      default: '60s',
      description: 'How often each user fetches statuses; 0 turns it off.',
    }),
    reconnect: ClosedObject(
      {
        minRetry: Duration({ default: '3s', description: "The web app's first reconnect delay." }),
        jitter: Duration({ default: '2s', description: 'Random extra delay added to each reconnect.' }),
      },
      { default: {}, description: 'WebSocket reconnect backoff (the web app: 3 s plus up to 2 s).' },
    ),
  },
  { default: {}, description: 'The Mattermost user model used by scenarios with exec: user-model.' },
);

export const ScenarioFileSchema = ClosedObject(
  {
    name: PatternString('^[A-Za-z0-9][A-Za-z0-9._-]*$', "expected letters, digits, '.', '_' or '-'", {
      maxLength: 64,
      description: 'Name shown in reports.',
    }),
    description: Type.Optional(Type.String({ description: 'What this load represents.' })),
    seed: Type.Union([Type.Literal('none'), Type.String({ minLength: 1 })], {
      default: 'small',
      description: 'Data set to seed (idempotently) before the run: small, medium, a shape file, or none.',
    }),
    userModel: UserModelSchema,
    scenarios: Type.Record(PatternString('^[A-Za-z0-9_-]+$', 'expected a scenario name'), ScenarioSchema, {
      default: {},
      description:
        'Named scenarios run side by side (each may start later with startTime); may be empty when `calls` is set.',
    }),
    calls: Type.Optional(CallsSectionSchema),
    thresholds: { ...ThresholdsSchema, default: {} },
    targets: Type.Union([Type.Literal('none'), StringEnum(TARGET_SET_NAMES as [string, ...string[]])], {
      default: 'none',
      errorMessage: `expected none or one of ${TARGET_SET_NAMES.join(', ')}`,
      description:
        "A built-in target set added to the thresholds: mattermost-reference = Mattermost's capacity criteria.",
    }),
    capacity: Type.Optional(CapacitySectionSchema),
    drift: Type.Optional(DriftSectionSchema),
  },
  { description: 'An mmdrill scenario: the load to drive, what each iteration does, and what passes.' },
);

export type ScenarioFile = Static<typeof ScenarioFileSchema>;
export type ScenarioEntry = ScenarioFile['scenarios'][string];

/** Whether a scenario's users log in: the user model and any action beyond an anonymous ping. */
export function logsUsersIn(entry: ScenarioEntry): boolean {
  const { exec } = entry;
  return exec === undefined || exec === 'user-model' || exec.actions.some((a) => a !== 'ping');
}

/** Rules the schema cannot say: executor options that depend on each other, threshold syntax. */
function scenarioIssues(file: ScenarioFile): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (Object.keys(file.scenarios).length === 0 && file.calls === undefined)
    issues.push({ path: ['scenarios'], message: 'expected at least one scenario (or a calls section)' });
  if (file.calls) issues.push(...callsIssues(file.calls));
  for (const [name, scenario] of Object.entries(file.scenarios)) {
    for (const issue of executorIssues(scenario))
      issues.push({ ...issue, path: ['scenarios', name, ...issue.path] });
  }
  issues.push(...parseThresholds(file.thresholds, { basePath: ['thresholds'] }).problems);
  if (file.capacity !== undefined)
    for (const issue of capacitySectionIssues(file.capacity, Object.keys(file.scenarios)))
      issues.push({ ...issue, path: ['capacity', ...issue.path] });
  if (file.drift !== undefined)
    for (const issue of driftSectionIssues(file.drift))
      issues.push({ ...issue, path: ['drift', ...issue.path] });
  return issues;
}

/** Loads and checks a scenario file; throws ConfigError naming file, line and field. */
export async function loadScenarioFile(path: string): Promise<ScenarioFile> {
  return loadConfigFile(path, ScenarioFileSchema, {
    kind: 'scenario',
    check: (file) => scenarioIssues(file),
  });
}
