// The registry of the schemas mmdrill publishes under schemas/: one entry per kind of file it reads
// or writes. It names schemas of five domains (stack, load, faults, drill, summary), so it lives in
// the CLI layer, which may import them all; the domains know nothing of the registry.
import { join } from 'node:path';
import type { TSchema } from '@sinclair/typebox';
import { packageRoot } from '../common/package-root.js';
import { DrillFileSchema } from '../drill/drill-file.js';
import { DdilProfileSchema } from '../faults/ddil-profile.js';
import { FaultPlanSchema } from '../faults/plan.js';
import { ScenarioFileSchema } from '../load/scenario.js';
import { EnvironmentSchema } from '../stack/environment.js';
import { StackDocumentSchema } from '../stack/stack-document.js';
import { SummarySchema } from '../summary/summary-schema.js';

/** A kind of configuration file mmdrill reads, and the schema published for editors. */
export interface ConfigKind {
  kind: string;
  title: string;
  /** Where the files of this kind live, relative to the package root. */
  directory: string;
  schema: TSchema;
}

export const CONFIG_KINDS: readonly ConfigKind[] = [
  { kind: 'environment', title: 'mmdrill environment', directory: 'environments', schema: EnvironmentSchema },
  { kind: 'scenario', title: 'mmdrill scenario', directory: 'scenarios', schema: ScenarioFileSchema },
  { kind: 'drill', title: 'mmdrill drill', directory: 'drills', schema: DrillFileSchema },
  { kind: 'faultplan', title: 'mmdrill fault plan', directory: 'chaos', schema: FaultPlanSchema },
  { kind: 'ddil-profile', title: 'mmdrill DDIL profile', directory: 'chaos/ddil', schema: DdilProfileSchema },
];

/** A document mmdrill writes (a stable contract for users' scripts), published beside the inputs. */
export interface OutputKind {
  kind: string;
  title: string;
  schema: TSchema;
}

export const OUTPUT_KINDS: readonly OutputKind[] = [
  { kind: 'stack', title: 'mmdrill stack document (`mmdrill stack up --json`)', schema: StackDocumentSchema },
  { kind: 'summary', title: 'mmdrill run summary (summary.json)', schema: SummarySchema },
];

export function configKind(kind: string): ConfigKind {
  const found = CONFIG_KINDS.find((k) => k.kind === kind);
  if (found === undefined) throw new Error(`unknown configuration kind ${kind}`);
  return found;
}

/** `schemas/` under the package root: example files point at it with a yaml-language-server modeline. */
export function schemasDirectory(): string {
  return join(packageRoot(), 'schemas');
}

export function schemaFileName(kind: string): string {
  return `${kind}.schema.json`;
}

/** The first line of a file of this kind, for editors: the schema's path from the kind's directory. */
export function schemaModeline(kind: string): string {
  const up = '../'.repeat(configKind(kind).directory.split('/').length);
  return `# yaml-language-server: $schema=${up}schemas/${schemaFileName(kind)}`;
}

/** The published JSON Schema file's text (draft-07, which editors and ajv both speak by default). */
export function renderSchemaFile(kind: ConfigKind | OutputKind): string {
  const published = { $schema: 'http://json-schema.org/draft-07/schema#', title: kind.title, ...kind.schema };
  return `${JSON.stringify(published, null, 2)}\n`;
}
