import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { CrdCatalogue, formatCrdProblem, type KubernetesManifest } from '../../src/export/crd-check.js';

// The official Chaos Mesh and k6-operator CRDs are the export tests' oracle. They are not part of
// the repository: the directory holding them is named by MMDRILL_CRDS_DIR (the project's CI sets
// it to ../shared/reference/crds). Without it, outside CI, the tests that need them are reported
// as skipped with the reason in their name and one warning line — never failed for a missing
// folder, never passed without checking. Under CI (CI=true) they run, and a missing directory
// fails them: there the oracle must be present.

const ENV = 'MMDRILL_CRDS_DIR';
const HOW =
  `set ${ENV} to a folder with the Chaos Mesh CRDs (chaos-mesh/chaos-mesh config/crd/bases) and the ` +
  'k6-operator CRD (grafana/k6-operator config/crd/bases/k6.io_testruns.yaml), or to the output of ' +
  '`kubectl get crd testruns.k6.io workflows.chaos-mesh.org networkchaos.chaos-mesh.org podchaos.chaos-mesh.org stresschaos.chaos-mesh.org -o yaml` saved to a file';

function ciRun(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** Why the CRD tests cannot run, or undefined when the CRDs are there. */
function missingReason(): string | undefined {
  const dir = process.env[ENV];
  if (dir === undefined || dir === '') return `${ENV} is not set`;
  if (!existsSync(resolve(dir))) return `${ENV}=${dir} does not exist`;
  return undefined;
}

const reason = missingReason();
/** True when the CRD tests are skipped (no CRDs, not CI). */
export const CRDS_MISSING = reason !== undefined && !ciRun();

if (CRDS_MISSING)
  process.stderr.write(`NOT RUN: the CRD checks of the export tests: ${reason}. To run them, ${HOW}.\n`);

/** `it` for tests that need the CRDs: skipped outside CI without them, with the reason in the name. */
export const itWithCrds = it.skipIf(CRDS_MISSING);
/** The suffix that names why a CRD test did not run (empty when it runs). */
export const CRD_NOT_RUN = CRDS_MISSING ? ` — NOT RUN: ${reason}; ${HOW}` : '';

let catalogue: CrdCatalogue | undefined;
/** The official CRDs; throws (failing the test) when they are missing. */
export function officialCrds(): CrdCatalogue {
  if (reason !== undefined) throw new Error(`the official CRDs are missing: ${reason}. To run them, ${HOW}.`);
  catalogue ??= new CrdCatalogue(resolve(process.env[ENV]!));
  return catalogue;
}

/** The CRD problems of one object, as `file:path: message` lines (empty when valid). */
export function crdProblems(object: object & KubernetesManifest, file = 'manifest.yaml'): string[] {
  return officialCrds().check(file, object).map(formatCrdProblem);
}
