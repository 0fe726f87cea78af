import { Type } from '@sinclair/typebox';
import { KubernetesObject } from '../manifest-schema.js';

// The subset of Chaos Mesh's CRDs mmdrill writes (tests also check the output against the
// official CRDs). Closed objects: a field mmdrill starts writing must be added here first.

const Closed = { additionalProperties: false } as const;
const GoDuration = Type.String({ pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$' });
const Mode = Type.Union([Type.Literal('all'), Type.Literal('one'), Type.Literal('fixed-percent')]);

const SelectorSchema = Type.Object(
  {
    namespaces: Type.Array(Type.String(), { minItems: 1 }),
    labelSelectors: Type.Record(Type.String(), Type.String(), { minProperties: 1 }),
  },
  Closed,
);

export const NetworkChaosSpecSchema = Type.Object(
  {
    action: Type.Union(['delay', 'bandwidth', 'loss', 'partition'].map((a) => Type.Literal(a))),
    mode: Mode,
    value: Type.Optional(Type.String()),
    selector: SelectorSchema,
    direction: Type.Union([Type.Literal('to'), Type.Literal('from'), Type.Literal('both')]),
    target: Type.Optional(Type.Object({ mode: Mode, selector: SelectorSchema }, Closed)),
    delay: Type.Optional(Type.Object({ latency: GoDuration, jitter: Type.Optional(GoDuration) }, Closed)),
    bandwidth: Type.Optional(
      Type.Object(
        { rate: Type.String({ pattern: '^[0-9]+kbps$' }), limit: Type.Integer(), buffer: Type.Integer() },
        Closed,
      ),
    ),
    loss: Type.Optional(Type.Object({ loss: Type.String() }, Closed)),
    duration: Type.Optional(GoDuration),
  },
  Closed,
);

export const PodChaosSpecSchema = Type.Object(
  {
    action: Type.Union([Type.Literal('pod-kill'), Type.Literal('container-kill')]),
    mode: Mode,
    selector: SelectorSchema,
    containerNames: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    gracePeriod: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  Closed,
);

export const NetworkChaosSchema = KubernetesObject('chaos-mesh.org/v1alpha1', 'NetworkChaos', {
  spec: NetworkChaosSpecSchema,
});
export const PodChaosSchema = KubernetesObject('chaos-mesh.org/v1alpha1', 'PodChaos', {
  spec: PodChaosSpecSchema,
});

const TemplateSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
    templateType: Type.Union(
      ['Serial', 'Parallel', 'Suspend', 'NetworkChaos', 'PodChaos'].map((t) => Type.Literal(t)),
    ),
    deadline: Type.Optional(GoDuration),
    children: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
    networkChaos: Type.Optional(NetworkChaosSpecSchema),
    podChaos: Type.Optional(PodChaosSpecSchema),
  },
  Closed,
);

export const WorkflowSchema = KubernetesObject('chaos-mesh.org/v1alpha1', 'Workflow', {
  spec: Type.Object({ entry: Type.String(), templates: Type.Array(TemplateSchema, { minItems: 1 }) }, Closed),
});
