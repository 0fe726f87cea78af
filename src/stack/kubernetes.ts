import { type Static, Type } from '@sinclair/typebox';
import { ClosedObject, PatternString } from '../config/schema-builders.js';

// The `kubernetes:` section of an environment: where a Mattermost deployment runs in a cluster
// (Helm chart or operator) and the labels that pick each component's pods. mmdrill starts
// nothing there; the exports (k6-operator TestRun, Chaos Mesh manifests) select on these.

const NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const NAME_EXPECTATION = "expected a Kubernetes name: lower-case letters, digits and '-'";

const Labels = (description: string) =>
  Type.Record(Type.String({ minLength: 1 }), Type.String(), { minProperties: 1, description });

const ComponentSchema = (what: string) =>
  ClosedObject(
    {
      labels: Labels(`Labels that select the ${what} pods (matchLabels).`),
      namespace: Type.Optional(
        PatternString(NAME, NAME_EXPECTATION, { description: 'Its namespace, if not kubernetes.namespace.' }),
      ),
      container: Type.Optional(
        Type.String({ minLength: 1, description: 'The container to act on (default: the first).' }),
      ),
    },
    { description: `The ${what} pods.` },
  );

export const KubernetesSchema = ClosedObject(
  {
    namespace: PatternString(NAME, NAME_EXPECTATION, {
      description: 'Namespace of the Mattermost deployment (components may override it).',
    }),
    appNodes: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 2,
      description: 'App pods (replicas): fault plans may name app-1 … app-N and lb-app-1 … lb-app-N.',
    }),
    components: ClosedObject(
      {
        app: ComponentSchema('Mattermost app'),
        loadBalancer: Type.Optional(ComponentSchema('NGINX / ingress controller')),
        postgresPrimary: Type.Optional(ComponentSchema('PostgreSQL primary')),
        postgresReplica: Type.Optional(ComponentSchema('PostgreSQL replica')),
        objectStore: Type.Optional(ComponentSchema('S3-compatible object store (MinIO…)')),
        rtcd: Type.Optional(ComponentSchema('rtcd (Calls media)')),
      },
      {
        description:
          'Label selectors per component; a fault on a component without one is listed as unmapped.',
      },
    ),
    loadGenerators: ClosedObject(
      {
        namespace: PatternString(NAME, NAME_EXPECTATION, {
          default: 'mmdrill',
          description: 'Namespace of the k6-operator TestRun and its runner pods.',
        }),
        labels: Labels('Labels of the k6 runner pods (the users side of the users-lb link).'),
      },
      {
        default: { labels: { 'app.kubernetes.io/part-of': 'mmdrill', 'mmdrill.io/role': 'load-generator' } },
        description: 'The k6 runners: where the TestRun goes and how its pods are labelled.',
      },
    ),
  },
  {
    description:
      'A deployment on Kubernetes (with provider existing): namespaces and labels `mmdrill export` selects on.',
  },
);

export type KubernetesSettings = Static<typeof KubernetesSchema>;
