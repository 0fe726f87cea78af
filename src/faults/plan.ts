import { dirname } from 'node:path';
import { type TSchema, Type } from '@sinclair/typebox';
import { Duration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject, PatternString, StringEnum } from '../config/schema-builders.js';
import type { Environment } from '../stack/environment.js';
import { type ConfigReader, fileReader, textReader } from './config-reader.js';
import { FAULT_NAME_PATTERN, Start } from './kind.js';
import { FAULT_KIND_NAMES, FAULT_KINDS } from './kinds/index.js';
import { checkFaultPlan, type FaultPlanFile } from './plan-checks.js';
import { catalogFromEnvironment, type TargetCatalog } from './targets.js';
import type { FaultPlan } from './types.js';

// A fault plan (chaos/*.yaml): what breaks, where and when, on the load's timeline. Published as
// schemas/faultplan.schema.json. Read in two passes: each entry's kind (or profile) first, then
// each entry against its own kind's schema, then the rules that need the environment.

export const ProfileEntrySchema = ClosedObject(
  {
    name: Type.Optional(
      PatternString(FAULT_NAME_PATTERN, "expected letters, digits, '.', '_', '/' or '-'", {
        maxLength: 80,
        description: 'Name shown in reports (each fault: <name>/<step>); default <profile>-<target>.',
      }),
    ),
    profile: Type.String({
      minLength: 1,
      description:
        'A DDIL profile: the name of one in chaos/ddil/ (limited-satcom, limited-hf, intermittent, disrupted, denied) or a path to a profile file, relative to this plan.',
    }),
    target: Type.String({
      minLength: 1,
      description: 'The link it applies to: users-lb for field users, or any other link or proxy.',
    }),
    start: Start('When the profile starts: an offset from the load\'s start ("30s"), or "after-warmup".'),
    duration: Type.Optional(
      Duration({ description: "How long the profile runs. Default: the profile's duration × scale." }),
    ),
    scale: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: "Factor for the profile's own times (0.1: ten times shorter, for CI). Default: 1.",
      }),
    ),
    seed: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Integer()], {
        description: "Seed of the profile's random schedule. Default: the profile's seed.",
      }),
    ),
  },
  { description: 'A DDIL profile applied to one link.' },
);

function planFields(faults: TSchema) {
  return {
    name: PatternString('^[A-Za-z0-9][A-Za-z0-9._-]*$', "expected letters, digits, '.', '_' or '-'", {
      maxLength: 64,
      description: 'Name shown in reports.',
    }),
    description: Type.Optional(Type.String({ description: 'What the plan breaks and what it shows.' })),
    warmup: Type.Optional(
      Duration({ description: 'Length of the warm-up: faults with start "after-warmup" start then.' }),
    ),
    faults: faults,
  };
}

const FAULTS_DESCRIPTION = 'The faults, each with its start, duration, target and kind (or a DDIL profile).';

export const FaultPlanSchema = ClosedObject(
  planFields(
    Type.Array(
      Type.Union([...FAULT_KIND_NAMES.map((kind) => FAULT_KINDS[kind].schema), ProfileEntrySchema]),
      {
        minItems: 1,
        description: FAULTS_DESCRIPTION,
      },
    ),
  ),
  { description: "An mmdrill fault plan: what breaks, where and when, on the load's timeline." },
);

// First pass: the kind (or profile) of each entry.
const HeadSchema = Type.Object(
  {
    faults: Type.Array(
      Type.Object(
        {
          kind: Type.Optional(StringEnum(FAULT_KIND_NAMES, { description: 'The fault kind.' })),
          profile: Type.Optional(Type.String({ minLength: 1 })),
        },
        { additionalProperties: true },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: true },
);

type Head = { warmup?: unknown; faults: ({ kind?: string; profile?: string } & Record<string, unknown>)[] };

const TIME_KEYS = ['start', 'duration', 'restartAfter'] as const;

function headIssues(head: Head): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const negative = (value: unknown) =>
    (typeof value === 'number' && value < 0) || (typeof value === 'string' && /^-\s*\d/.test(value));
  if (negative(head.warmup)) issues.push({ path: ['warmup'], message: 'warmup must not be negative' });
  head.faults.forEach((entry, index) => {
    if (entry.kind === undefined && entry.profile === undefined)
      issues.push({
        path: ['faults', index],
        anchor: 'object',
        message: `give a kind (${FAULT_KIND_NAMES.join(', ')}) or a DDIL profile`,
      });
    if (entry.kind !== undefined && entry.profile !== undefined)
      issues.push({
        path: ['faults', index, 'profile'],
        anchor: 'key',
        message: 'an entry is either a fault (kind) or a DDIL profile (profile), not both',
      });
    for (const key of TIME_KEYS) {
      if (negative(entry[key]))
        issues.push({
          path: ['faults', index, key],
          message: `${key} must not be negative (got ${JSON.stringify(entry[key])})`,
        });
    }
  });
  return issues;
}

export interface LoadFaultPlanOptions {
  /** The load's length, when known: a fault starting at or after it is an error. */
  runDurationMs?: number;
  /** Targets to check against instead of the environment's (tests, a stack already up). */
  catalog?: TargetCatalog;
  /**
   * Factor for how long faults last, for a drill's short form: durations, timeline fields
   * (kill's restartAfter) and DDIL profiles' own times. Start offsets stay: they follow the load's
   * ramp, which a short form keeps. Link characteristics (latency, rate) never scale. Default 1.
   */
  durationScale?: number;
}

/** Loads and checks a fault plan for `env`; throws ConfigError naming file, line and field. */
export async function loadFaultPlan(
  path: string,
  env: Environment,
  options: LoadFaultPlanOptions = {},
): Promise<FaultPlan> {
  return readFaultPlan(fileReader(path), env, options);
}

/** As loadFaultPlan, from text (`file` names it in messages; profiles' paths resolve beside it). */
export async function parseFaultPlanText(
  text: string,
  file: string,
  env: Environment,
  options: LoadFaultPlanOptions = {},
): Promise<FaultPlan> {
  return readFaultPlan(textReader(text, file), env, options);
}

async function readFaultPlan(
  reader: ConfigReader,
  env: Environment,
  options: LoadFaultPlanOptions,
): Promise<FaultPlan> {
  const head = (await reader.read(HeadSchema, {
    kind: 'faultplan',
    check: (value) => headIssues(value as Head),
  })) as Head;
  const entries = head.faults.map((entry) =>
    entry.profile !== undefined
      ? ProfileEntrySchema
      : FAULT_KINDS[entry.kind as keyof typeof FAULT_KINDS].schema,
  );
  let plan: FaultPlan | undefined;
  await reader.read(ClosedObject(planFields(Type.Tuple(entries))), {
    kind: 'faultplan',
    check: async (value) => {
      const checked = await checkFaultPlan(value as unknown as FaultPlanFile, {
        file: reader.file,
        planDirectory: dirname(reader.file),
        catalog: options.catalog ?? catalogFromEnvironment(env),
        runDurationMs: options.runDurationMs,
        durationScale: options.durationScale,
      });
      plan = checked.plan;
      return checked.issues;
    },
  });
  if (plan === undefined) throw new Error(`${reader.file}: the fault plan was not checked`);
  return plan;
}
