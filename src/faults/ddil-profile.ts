import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { packageRoot } from '../common/package-root.js';
import { seededRandom } from '../common/seeded-random.js';
import { Duration, parseDuration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject, PatternString, StringEnum } from '../config/schema-builders.js';
import { type ConfigReader, fileReader } from './config-reader.js';
import { FAULT_NAME_PATTERN } from './kind.js';
import { FAULT_KINDS, LINK_KIND_NAMES } from './kinds/index.js';
import type { FaultEntryBase, FaultKindName, PlannedFault } from './types.js';

// A DDIL profile (chaos/ddil/*.yaml): a named schedule of link faults — fixed ones, and ones
// that repeat at seeded random intervals — with the sources of its figures. A plan applies it to
// one link from an offset, optionally time-scaled so CI can run a short form.

const Range = (what: string) =>
  ClosedObject(
    {
      min: Duration({ description: `Shortest ${what}.` }),
      max: Duration({ description: `Longest ${what}.` }),
    },
    { description: `A range of ${what}s; each occurrence draws uniformly from it (seeded).` },
  );

const RepeatSchema = ClosedObject(
  {
    every: Range('time from the start of one occurrence to the start of the next'),
    for: Range('occurrence length'),
  },
  {
    description:
      "Repeat the step: the first occurrence starts one `every` after the step's start, each lasts `for`.",
  },
);

/** Fields a step has besides its kind's own. */
const STEP_FIELDS = {
  name: Type.Optional(
    PatternString(FAULT_NAME_PATTERN, "expected letters, digits, '.', '_', '/' or '-'", {
      description: 'Name of the step in reports; default its kind.',
    }),
  ),
  start: Type.Optional(Duration({ description: 'Offset within the profile (before scaling). Default: 0.' })),
  duration: Type.Optional(
    Duration({
      description: 'How long the step lasts (before scaling). Default: to the end of the profile.',
    }),
  ),
  repeat: Type.Optional(RepeatSchema),
};

function stepSchema(kind: FaultKindName): TSchema {
  const definition = FAULT_KINDS[kind];
  return ClosedObject(
    {
      kind: Type.Literal(kind, { description: definition.description }),
      ...STEP_FIELDS,
      ...definition.fields,
    },
    { description: `A ${kind} step: ${definition.description}` },
  );
}

function profileFields(steps: TSchema) {
  return {
    name: PatternString('^[a-z0-9][a-z0-9-]*$', 'expected lower-case letters, digits and "-"', {
      description: 'The name plans use (the file is chaos/ddil/<name>.yaml).',
    }),
    description: Type.String({ minLength: 1, description: 'What link this profile stands for.' }),
    source: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Where the figures come from (docs/reference, standards, measurements).',
    }),
    duration: Duration({ description: 'Length of the profile (before scaling) when a plan gives none.' }),
    seed: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Integer()], {
        description: 'Seed of the random schedule when a plan gives none. Default: the profile name.',
      }),
    ),
    steps: steps,
  };
}

export const DdilProfileSchema = ClosedObject(
  profileFields(
    Type.Array(Type.Union(LINK_KIND_NAMES.map(stepSchema)), {
      minItems: 1,
      description: 'The link faults of the profile.',
    }),
  ),
  { description: 'An mmdrill DDIL profile: a named schedule of link faults, applied to one link.' },
);

export interface ProfileStep extends Record<string, unknown> {
  kind: FaultKindName;
  name?: string;
  start?: string | number;
  duration?: string | number;
  repeat?: Static<typeof RepeatSchema>;
}

export type DdilProfile = Omit<Static<typeof DdilProfileSchema>, 'steps'> & { steps: ProfileStep[] };

// First pass: which kind each step is (so the second pass checks it against that kind only).
const HeadSchema = Type.Object(
  {
    steps: Type.Array(
      Type.Object(
        {
          kind: StringEnum(LINK_KIND_NAMES, {
            description: 'A link fault kind (process faults make no sense on a link schedule).',
          }),
        },
        { additionalProperties: true },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: true },
);

/** Loads and checks a profile file; throws ConfigError naming file, line and field. */
export async function loadDdilProfile(path: string): Promise<DdilProfile> {
  return readDdilProfile(fileReader(path));
}

export async function readDdilProfile(reader: ConfigReader): Promise<DdilProfile> {
  const head = await reader.read(HeadSchema, { kind: 'ddil-profile' });
  const schema = ClosedObject(profileFields(Type.Tuple(head.steps.map((s) => stepSchema(s.kind)))));
  const file = await reader.read(schema, { kind: 'ddil-profile', check: (value) => profileIssues(value) });
  return file as unknown as DdilProfile;
}

function profileIssues(value: unknown): ConfigIssue[] {
  const profile = value as DdilProfile;
  const issues: ConfigIssue[] = [];
  if (parseDuration(profile.duration) <= 0)
    issues.push({ path: ['duration'], message: 'duration must be longer than 0s' });
  profile.steps.forEach((step, index) => {
    const at = ['steps', index];
    if (step.duration !== undefined && parseDuration(step.duration) <= 0)
      issues.push({ path: [...at, 'duration'], message: 'duration must be longer than 0s' });
    if (!step.repeat) return;
    const [every, length] = [step.repeat.every, step.repeat.for].map((r) => ({
      min: parseDuration(r.min),
      max: parseDuration(r.max),
    })) as [{ min: number; max: number }, { min: number; max: number }];
    for (const [key, range] of [
      ['every', every],
      ['for', length],
    ] as const) {
      if (range.min > range.max)
        issues.push({ path: [...at, 'repeat', key, 'min'], message: 'min must not be more than max' });
      if (range.min <= 0)
        issues.push({ path: [...at, 'repeat', key, 'min'], message: 'min must be longer than 0s' });
    }
    if (length.max >= every.min)
      issues.push({
        path: [...at, 'repeat', 'for', 'max'],
        message: 'occurrences must end before the next starts: for.max must be shorter than every.min',
      });
  });
  return issues;
}

/** The profiles shipped in chaos/ddil/, by name. */
export async function shippedProfileNames(): Promise<string[]> {
  const files = await readdir(join(packageRoot(), 'chaos', 'ddil')).catch(() => []);
  return files.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
}

/** A profile reference from a plan: a shipped name, or a path relative to the plan's directory. */
export function profilePath(reference: string, planDirectory: string): string {
  if (/^[a-z0-9][a-z0-9-]*$/.test(reference))
    return join(packageRoot(), 'chaos', 'ddil', `${reference}.yaml`);
  return join(planDirectory, reference);
}

/** How a plan applies a profile. */
export interface ProfileApplication {
  /** Name of the plan entry; each fault is named `<name>/<step>[-<n>]`. */
  name: string;
  target: string;
  /** Offset of the profile's start from the load's start. */
  startMs: number;
  /** Real length; default the profile's duration × scale. */
  durationMs?: number;
  /** Time factor for the profile's own times (0.1: ten times faster). Default 1. */
  scale?: number;
  /** Default: the profile's seed, else its name. */
  seed?: string | number;
  /** The plan entry, for messages. */
  path: readonly (string | number)[];
}

const MAX_OCCURRENCES = 10_000;

/**
 * The profile as faults on the run's timeline. Random draws happen in the profile's own time and
 * are then scaled, so a seed gives the same schedule at any scale (only clipped at the end).
 */
export function expandProfile(profile: DdilProfile, application: ProfileApplication): PlannedFault[] {
  const scale = application.scale ?? 1;
  const totalMs = application.durationMs ?? Math.round(parseDuration(profile.duration) * scale);
  const seed = String(application.seed ?? profile.seed ?? profile.name);
  const faults: PlannedFault[] = [];
  profile.steps.forEach((step, index) => {
    const label = `${application.name}/${step.name ?? step.kind}`;
    const add = (name: string, fromMs: number, toMs: number) => {
      const start = Math.round(fromMs * scale);
      const end = Math.min(totalMs, Math.round(toMs * scale));
      if (end <= start) return;
      faults.push(plannedStep(step, application, profile.name, name, start, end - start));
    };
    const stepStart = parseDuration(step.start ?? 0);
    if (!step.repeat) {
      const stepEnd =
        step.duration === undefined ? Number.POSITIVE_INFINITY : stepStart + parseDuration(step.duration);
      add(label, stepStart, stepEnd);
      return;
    }
    // Each step draws from its own stream: adding a step does not move another's occurrences.
    const random = seededRandom(`${seed}:${index}`);
    const draw = (range: { min: string | number; max: string | number }) => {
      const min = parseDuration(range.min);
      return Math.round(min + random.next() * (parseDuration(range.max) - min));
    };
    let at = stepStart;
    for (let n = 1; n <= MAX_OCCURRENCES; n++) {
      at += draw(step.repeat.every);
      if (Math.round(at * scale) >= totalMs) break;
      add(`${label}-${n}`, at, at + draw(step.repeat.for));
    }
  });
  return faults.sort((a, b) => a.startMs - b.startMs);
}

function plannedStep(
  step: ProfileStep,
  application: ProfileApplication,
  profileName: string,
  name: string,
  offsetMs: number,
  durationMs: number,
): PlannedFault {
  const { name: _n, start: _s, duration: _d, repeat: _r, ...fields } = step;
  const startMs = application.startMs + offsetMs;
  const entry: FaultEntryBase = {
    ...fields,
    kind: step.kind,
    name,
    target: application.target,
    start: startMs,
    duration: durationMs,
  };
  return {
    name,
    kind: step.kind,
    target: application.target,
    startMs,
    durationMs,
    entry,
    profile: profileName,
    path: application.path,
  };
}
