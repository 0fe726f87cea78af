import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { packageRoot } from '../../src/common/package-root.js';

// The official CRDs (../shared/reference/crds, or $MMDRILL_SHARED_DIR/reference/crds) as ajv
// validators of `spec.versions[].schema.openAPIV3Schema`. Missing CRDs are an error, never a skip:
// the export tests mean nothing without them.

export function sharedDirectory(): string {
  return resolve(process.env.MMDRILL_SHARED_DIR ?? join(packageRoot(), '..', 'shared'));
}

export function crdDirectory(): string {
  const dir = join(sharedDirectory(), 'reference', 'crds');
  if (!existsSync(dir))
    throw new Error(
      `the official CRDs are not at ${dir}: the export tests validate against them. Put the shared directory beside the repository or set MMDRILL_SHARED_DIR`,
    );
  return dir;
}

// OpenAPI keywords and formats JSON Schema does not know: tolerated, not checked.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

const cache = new Map<string, ValidateFunction>();

/** A validator for `kind` in `apiVersion` from the CRD file `file` (relative to the CRD directory). */
export function crdValidator(file: string, apiVersion: string): ValidateFunction {
  const key = `${file}:${apiVersion}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const path = join(crdDirectory(), file);
  if (!existsSync(path)) throw new Error(`the CRD ${path} is missing from the shared directory`);
  const crd = parse(readFileSync(path, 'utf8')) as {
    spec: { group: string; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
  };
  const version = crd.spec.versions.find((v) => `${crd.spec.group}/${v.name}` === apiVersion);
  if (version === undefined) throw new Error(`${path} has no version ${apiVersion}`);
  const validate = ajv.compile(version.schema.openAPIV3Schema);
  cache.set(key, validate);
  return validate;
}

export const CRD_FILES: Readonly<Record<string, string>> = {
  TestRun: 'k6-operator/k6.io_testruns.yaml',
  NetworkChaos: 'chaos-mesh/chaos-mesh.org_networkchaos.yaml',
  PodChaos: 'chaos-mesh/chaos-mesh.org_podchaos.yaml',
  StressChaos: 'chaos-mesh/chaos-mesh.org_stresschaos.yaml',
  Workflow: 'chaos-mesh/chaos-mesh.org_workflows.yaml',
};

/** The CRD problems of one object, as readable lines (empty when valid). */
export function crdProblems(object: object & { apiVersion: string; kind: string }): string[] {
  const file = CRD_FILES[object.kind];
  if (file === undefined) throw new Error(`no CRD known for kind ${object.kind}`);
  const validate = crdValidator(file, object.apiVersion);
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
