import { Type } from '@sinclair/typebox';
import { KubernetesObject, kubernetesName, mmdrillLabels } from '../manifest-schema.js';

// The k6-operator side: a ConfigMap holding the script and a TestRun (k6.io/v1alpha1) running
// it on `parallelism` runners. The deployment's URL is written as is (it is no secret); the
// users' password (and the URL, when no environment file was given) comes from a Secret the
// operator of the cluster creates — its values never pass through mmdrill.

export const SCRIPT_FILE = 'script.ts';
/** Where runners write the summary file (k6's working directory in the image may be read-only). */
export const RUNNER_SUMMARY_FILE = '/tmp/mmdrill-k6-summary.json';
export const DEFAULT_K6_IMAGE = 'grafana/k6:2.3.0';

const EnvVar = Type.Union([
  Type.Object({ name: Type.String(), value: Type.String() }, { additionalProperties: false }),
  Type.Object(
    {
      name: Type.String(),
      valueFrom: Type.Object(
        {
          secretKeyRef: Type.Object(
            { name: Type.String(), key: Type.String(), optional: Type.Optional(Type.Boolean()) },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);
const Quantities = Type.Object(
  { cpu: Type.String(), memory: Type.String() },
  { additionalProperties: false },
);

export const ScriptConfigMapSchema = KubernetesObject('v1', 'ConfigMap', {
  data: Type.Record(Type.String(), Type.String()),
});

export const TestRunSchema = KubernetesObject('k6.io/v1alpha1', 'TestRun', {
  spec: Type.Object(
    {
      parallelism: Type.Integer({ minimum: 1 }),
      separate: Type.Boolean(),
      arguments: Type.Optional(Type.String()),
      script: Type.Object(
        {
          configMap: Type.Object(
            { name: Type.String(), file: Type.String() },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
      runner: Type.Object(
        {
          image: Type.String(),
          metadata: Type.Object(
            { labels: Type.Record(Type.String(), Type.String()) },
            { additionalProperties: false },
          ),
          env: Type.Array(EnvVar),
          resources: Type.Object(
            { requests: Quantities, limits: Quantities },
            { additionalProperties: false },
          ),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
});

export interface TestRunOptions {
  scenarioName: string;
  script: string;
  namespace: string;
  parallelism: number;
  separate: boolean;
  image: string;
  /** Labels of the runner pods (what a Chaos Mesh users-lb fault selects). */
  runnerLabels: Record<string, string>;
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** The deployment's URL, or undefined to read MM_URL from the Secret. */
  url: string | undefined;
  secretName: string;
}

export function testRunManifests(options: TestRunOptions): { configMap: object; testRun: object } {
  const base = kubernetesName(`mmdrill-${options.scenarioName}`, 50);
  const labels = mmdrillLabels({ 'mmdrill.io/scenario': kubernetesName(options.scenarioName) });
  const secretRef = (key: string) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: options.secretName, key } },
  });
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${base}-script`, namespace: options.namespace, labels },
    data: { [SCRIPT_FILE]: options.script },
  };
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: base, namespace: options.namespace, labels },
    spec: {
      parallelism: options.parallelism,
      separate: options.separate,
      script: { configMap: { name: `${base}-script`, file: SCRIPT_FILE } },
      runner: {
        image: options.image,
        metadata: { labels: { ...options.runnerLabels } },
        env: [
          options.url === undefined ? secretRef('MM_URL') : { name: 'MM_URL', value: options.url },
          secretRef('MM_USER_PASSWORD'),
          { name: 'MM_SUMMARY_FILE', value: RUNNER_SUMMARY_FILE },
        ],
        resources: options.resources,
      },
    },
  };
  return { configMap, testRun };
}
