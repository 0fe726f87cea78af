import { type TSchema, Type } from '@sinclair/typebox';

// What every Kubernetes object mmdrill writes has: apiVersion, kind, metadata (name, namespace,
// labels, annotations). Each export's own schema adds its spec; tests validate the output
// against these and against the official CRDs.

const Labels = Type.Record(Type.String(), Type.String());

export const ObjectMetaSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }),
    namespace: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 }),
    labels: Type.Optional(Labels),
    annotations: Type.Optional(Labels),
  },
  { additionalProperties: false },
);

export function KubernetesObject(apiVersion: string, kind: string, body: Record<string, TSchema>) {
  return Type.Object(
    { apiVersion: Type.Literal(apiVersion), kind: Type.Literal(kind), metadata: ObjectMetaSchema, ...body },
    { additionalProperties: false },
  );
}

/** Labels mmdrill puts on everything it writes, so `kubectl delete -l` finds it all. */
export function mmdrillLabels(extra: Record<string, string> = {}): Record<string, string> {
  return { 'app.kubernetes.io/managed-by': 'mmdrill', ...extra };
}

/** A Kubernetes object name from free text: lower case, [a-z0-9-], at most `max` characters. */
export function kubernetesName(text: string, max = 63): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return name.slice(0, max).replace(/-$/, '') || 'mmdrill';
}
