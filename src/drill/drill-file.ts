import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Duration } from '../config/duration.js';
import { loadConfigFile } from '../config/load.js';
import { ClosedObject, PatternString } from '../config/schema-builders.js';
import { FaultCriteriaSchema } from '../verdict/fault-criteria.js';
import { SteadyStateSchema } from '../verdict/steady-state.js';

// A drill file: which environment, which load, which fault plan, and what "survived" means — in
// one file, with a short form CI can afford. Paths are relative to the drill file.

const ShortFormSchema = ClosedObject(
  {
    users: Type.Optional(Type.Integer({ minimum: 1, description: 'VUs in the short form.' })),
    duration: Type.Optional(Duration({ description: 'Load duration in the short form.' })),
    faultScale: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: 'Scales fault durations (not their start offsets) in the short form, e.g. 0.5.',
      }),
    ),
  },
  { description: 'The short form (`mmdrill drill --short`): what CI runs, in at most about 2 minutes.' },
);

export const DrillFileSchema = ClosedObject(
  {
    name: PatternString('^[A-Za-z0-9][A-Za-z0-9._-]*$', "expected letters, digits, '.', '_' or '-'", {
      maxLength: 64,
      description: 'Name shown in reports.',
    }),
    description: Type.Optional(Type.String({ description: 'What the drill shows.' })),
    environment: Type.String({ minLength: 1, description: 'Environment file (relative to this file).' }),
    scenario: Type.String({ minLength: 1, description: 'Scenario file: the load during the drill.' }),
    faults: Type.String({ minLength: 1, description: 'Fault plan file (chaos/*.yaml).' }),
    users: Type.Optional(Type.Integer({ minimum: 1, description: 'Overrides the scenario’s VUs.' })),
    duration: Type.Optional(Duration({ description: 'Overrides the scenario’s duration.' })),
    criteria: Type.Optional(FaultCriteriaSchema),
    steadyState: SteadyStateSchema,
    audits: ClosedObject(
      {
        posts: Type.Boolean({
          default: true,
          description: 'Read back every acknowledged post (lost must be 0).',
        }),
        deliveries: Type.Boolean({
          default: true,
          description: 'Every online member saw every post of its channels (live, replay or refetch).',
        }),
      },
      { default: {}, description: 'Audits after the run.' },
    ),
    short: Type.Optional(ShortFormSchema),
  },
  { description: 'An mmdrill drill: environment + scenario + fault plan + what passes.' },
);

export type DrillFile = Static<typeof DrillFileSchema>;

export interface Drill extends DrillFile {
  file: string;
  environmentPath: string;
  scenarioPath: string;
  faultsPath: string;
}

export async function loadDrillFile(path: string): Promise<Drill> {
  const base = dirname(resolve(path));
  const drill = await loadConfigFile(path, DrillFileSchema, {
    kind: 'drill',
    check: (file) =>
      (['environment', 'scenario', 'faults'] as const)
        .filter((key) => !existsSync(resolve(base, file[key])))
        .map((key) => ({ path: [key], message: `no such file: ${resolve(base, file[key])}` })),
  });
  return {
    ...drill,
    file: path,
    environmentPath: resolve(base, drill.environment),
    scenarioPath: resolve(base, drill.scenario),
    faultsPath: resolve(base, drill.faults),
  };
}
