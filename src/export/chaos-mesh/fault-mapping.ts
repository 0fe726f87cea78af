import { parseDuration } from '../../config/duration.js';
import { type ResolvedTarget, resolveFaultTarget } from '../../faults/targets.js';
import type { FaultKindName, PlannedFault } from '../../faults/types.js';
import {
  type ClusterTargets,
  type ComponentKey,
  LINK_SIDES,
  type PodSelector,
  type Pods,
} from './cluster-targets.js';

// Each fault of a plan as Chaos Mesh experiments, or the reason it has none. Toxiproxy acts on
// one TCP link between two components; Chaos Mesh acts on pods' network (tc/netem, iptables) or
// on pods themselves, so the mapping picks the pods on each side of the link and the direction.
// Where the effect differs from mmdrill's, the difference is said (notes), never hidden.
// CHAOS_MESH_MAPPINGS has an entry for every fault kind: a new kind does not compile until it
// says how it maps, or why Chaos Mesh cannot express it.

export type ChaosKind = 'NetworkChaos' | 'PodChaos';

/** One experiment: its kind and spec (without duration: the Workflow's deadline bounds it). */
export interface ChaosExperiment {
  kind: ChaosKind;
  /** Suffix of its name within the fault (`up`, `down`), empty for the only one. */
  part: string;
  spec: Record<string, unknown>;
}

export interface MappedFault {
  fault: PlannedFault;
  experiments: ChaosExperiment[];
  /** How the Chaos Mesh effect differs from mmdrill's, if it does. */
  notes: string[];
}

export interface UnmappedFault {
  name: string;
  kind: string;
  target: string;
  startMs: number;
  durationMs: number;
  reason: string;
}

export type FaultMapping = { mapped: MappedFault } | { unmapped: UnmappedFault };

const STREAM_DIRECTION = { upstream: 'to', downstream: 'from', both: 'both' } as const;
type Stream = keyof typeof STREAM_DIRECTION;

const ms = (value: number) => `${Math.round(value)}ms`;

function unmapped(fault: PlannedFault, reason: string): FaultMapping {
  return {
    unmapped: {
      name: fault.name,
      kind: fault.kind,
      target: fault.target,
      startMs: fault.startMs,
      durationMs: fault.durationMs,
      reason,
    },
  };
}

function selectorOf(pods: Pods): PodSelector {
  if (pods.selector === undefined) throw new Error(`no selector for ${pods.key}`);
  return pods.selector;
}

/** The two sides of a link target; the server side narrowed to one pod for a single proxy (lb-app-2). */
function linkSides(target: ResolvedTarget & { type: 'link' }, cluster: ClusterTargets) {
  const sides = LINK_SIDES[target.link];
  const oneServer = target.link === 'lb-app' && target.proxies.length === 1;
  return {
    client: cluster.pods(sides.client),
    server: cluster.pods(sides.server, oneServer ? 'one' : 'all'),
  };
}

function missingLabels(...pods: Pods[]): string | undefined {
  const missing = pods.filter((p) => p.selector === undefined).map((p) => `kubernetes.components.${p.key}`);
  return missing.length === 0 ? undefined : `the environment gives no labels for ${missing.join(' and ')}`;
}

/** A NetworkChaos between the two sides: on the client's pods, toward (or from) the server's. */
function network(
  client: Pods,
  server: Pods,
  action: string,
  direction: 'to' | 'from' | 'both',
  extra: Record<string, unknown>,
  toxicity = 1,
): Record<string, unknown> {
  return {
    action,
    ...(toxicity < 1
      ? { mode: 'fixed-percent', value: String(Math.max(1, Math.round(toxicity * 100))) }
      : { mode: client.mode }),
    selector: selectorOf(client),
    direction,
    target: { mode: server.mode, selector: selectorOf(server) },
    ...extra,
  };
}

interface ToxicEntry {
  stream?: Stream;
  toxicity?: number;
  latency?: string | number;
  jitter?: string | number;
  rate?: number;
  timeout?: string | number;
}

/** What a link mapping gets: the pods on both sides, the toxic's options, notes to add to. */
interface LinkSides {
  client: Pods;
  server: Pods;
  entry: ToxicEntry;
  stream: Stream;
  toxicity: number;
  notes: string[];
}

/** What a component mapping gets: the component's pods and notes to add to. */
interface ComponentPods {
  component: string;
  pods: Pods;
  notes: string[];
  cluster: ClusterTargets;
}

/**
 * How one fault kind maps: on a link, on a component (a kind without one of them has no
 * mapping on that target type), or not at all, with the reason.
 */
export type ChaosMeshMapping =
  | {
      link?: (sides: LinkSides) => ChaosExperiment[];
      component?: (fault: PlannedFault, on: ComponentPods) => FaultMapping;
    }
  | { notExpressible: string };

const networkExperiment = (spec: Record<string, unknown>, part = ''): ChaosExperiment => ({
  kind: 'NetworkChaos',
  part,
  spec,
});

/** Packets dropped both ways between the two sides (iptables). */
function partitionBothWays({ client, server, notes }: LinkSides): ChaosExperiment[] {
  notes.push(
    'packets are dropped (iptables): connections hang until they time out, rather than being refused',
  );
  return [networkExperiment(network(client, server, 'partition', 'both', {}))];
}

/** A component fault that kills its pods (`graceful`: a pod deletion its controller replaces). */
function killing(note: (kill: ChaosExperiment) => string, graceful = false) {
  return (fault: PlannedFault, { pods, notes }: ComponentPods): FaultMapping => {
    const kill = podKill(pods, graceful);
    notes.push(note(kill));
    return { mapped: { fault, notes, experiments: [kill] } };
  };
}

/** Every fault kind's Chaos Mesh form, or why it has none. */
export const CHAOS_MESH_MAPPINGS = {
  latency: {
    link: ({ client, server, entry, stream, toxicity }) => {
      const delay = {
        latency: ms(parseDuration(entry.latency ?? 0)),
        ...(entry.jitter !== undefined && { jitter: ms(parseDuration(entry.jitter)) }),
      };
      return [
        networkExperiment(network(client, server, 'delay', STREAM_DIRECTION[stream], { delay }, toxicity)),
      ];
    },
  },
  bandwidth: {
    link: ({ client, server, entry, stream, toxicity, notes }) => {
      // tc tbf shapes a pod's egress: one experiment per direction, on the sending side.
      const bandwidth = { rate: `${entry.rate ?? 1}kbps`, limit: 20_971_520, buffer: 10_000 };
      const up = networkExperiment(network(client, server, 'bandwidth', 'to', { bandwidth }, toxicity), 'up');
      const down = networkExperiment(network(server, client, 'bandwidth', 'to', { bandwidth }), 'down');
      notes.push(
        'bandwidth shapes the sending pods’ egress (tc tbf); Chaos Mesh may apply it beyond this link',
      );
      const experiments = stream === 'both' ? [up, down] : stream === 'upstream' ? [up] : [down];
      return experiments.map((e) => (experiments.length === 1 ? { ...e, part: '' } : e));
    },
  },
  timeout: {
    link: ({ client, server, stream, notes }) => {
      notes.push(
        'packets are dropped (iptables), so data stops and peers time out; connections are not closed after `timeout`',
      );
      return [networkExperiment(network(client, server, 'partition', STREAM_DIRECTION[stream], {}))];
    },
  },
  reset_peer: {
    notExpressible:
      'Chaos Mesh cannot reset established TCP connections (no RST injection; HTTPChaos abort covers HTTP only)',
  },
  slicer: { notExpressible: 'Chaos Mesh has no equivalent of slicing a stream into small delayed segments' },
  limit_data: { notExpressible: 'Chaos Mesh cannot close a connection after a number of bytes' },
  partition: { link: partitionBothWays },
  kill: {
    component: killing((kill) =>
      kill.spec.action === 'container-kill'
        ? 'the container is killed and the kubelet restarts it at once (restartAfter is not honoured)'
        : 'the pod is killed (grace period 0) and its controller starts a new one at once (restartAfter is not honoured)',
    ),
  },
  freeze: {
    component: (fault, { pods, notes }) => {
      notes.push(
        "all the pod's outgoing packets are dropped: peers time out as with SIGSTOP, but the process keeps running",
      );
      const spec = {
        action: 'loss',
        mode: pods.mode,
        selector: selectorOf(pods),
        direction: 'to',
        loss: { loss: '100' },
      };
      return { mapped: { fault, notes, experiments: [networkExperiment(spec)] } };
    },
  },
  restart: { component: killing(() => 'a graceful pod deletion: its controller starts a new pod', true) },
  'db-failover': {
    component: killing(
      () =>
        "the primary pod is killed; promoting the replica and moving the endpoint is the database operator's job (CloudNativePG, Patroni)",
    ),
  },
  'object-store-outage': {
    link: partitionBothWays,
    // On the object store component: the app's link to it goes down.
    component: (fault, { cluster }) =>
      linkFault(fault, { type: 'link', link: 'app-object-store', proxies: ['app-object-store'] }, cluster),
  },
  'enclave-disconnect': {
    notExpressible:
      'the enclave cut needs the native egress watch; on Kubernetes deny egress with a NetworkPolicy (or a NetworkChaos partition to external targets) by hand',
  },
} as const satisfies Record<FaultKindName, ChaosMeshMapping>;

function mappingOf(kind: FaultKindName): ChaosMeshMapping {
  return CHAOS_MESH_MAPPINGS[kind];
}

function linkFault(
  fault: PlannedFault,
  target: ResolvedTarget & { type: 'link' },
  cluster: ClusterTargets,
): FaultMapping {
  const { client, server } = linkSides(target, cluster);
  const missing = missingLabels(client, server);
  if (missing !== undefined) return unmapped(fault, missing);
  const mapping = mappingOf(fault.kind);
  if ('notExpressible' in mapping) return unmapped(fault, mapping.notExpressible);
  if (mapping.link === undefined) return unmapped(fault, `${fault.kind} has no Chaos Mesh mapping on a link`);
  const entry = fault.entry as unknown as ToxicEntry;
  const stream: Stream = entry.stream ?? 'downstream';
  const toxicity = entry.toxicity ?? 1;
  const notes: string[] = [];
  if (server.mode === 'one') notes.push(`${fault.target}: one ${server.key} pod, chosen by Chaos Mesh`);
  if (toxicity < 1)
    notes.push(
      `toxicity ${toxicity}: applied to ${Math.round(toxicity * 100)} % of the client pods, not of connections`,
    );
  const experiments = mapping.link({ client, server, entry, stream, toxicity, notes });
  return { mapped: { fault, notes, experiments } };
}

function podKill(pods: Pods, graceful: boolean): ChaosExperiment {
  const container = pods.container !== undefined && !graceful;
  return {
    kind: 'PodChaos',
    part: '',
    spec: {
      action: container ? 'container-kill' : 'pod-kill',
      mode: pods.mode,
      selector: selectorOf(pods),
      ...(container && { containerNames: [pods.container] }),
      ...(!container && !graceful && { gracePeriod: 0 }),
    },
  };
}

function componentFault(fault: PlannedFault, component: string, cluster: ClusterTargets): FaultMapping {
  const found = cluster.componentKey(component);
  if (found === undefined) return unmapped(fault, `${component} is not a component of the cluster`);
  const pods = cluster.pods(found.key, found.mode);
  const missing = missingLabels(pods);
  if (missing !== undefined) return unmapped(fault, missing);
  const mapping = mappingOf(fault.kind);
  if ('notExpressible' in mapping) return unmapped(fault, mapping.notExpressible);
  if (mapping.component === undefined)
    return unmapped(fault, `${fault.kind} has no Chaos Mesh mapping on a component`);
  const notes = found.mode === 'one' ? [`${component}: one ${found.key} pod, chosen by Chaos Mesh`] : [];
  return mapping.component(fault, { component, pods, notes, cluster });
}

/** The Chaos Mesh experiments of one planned fault, or why there are none. */
export function mapFault(fault: PlannedFault, cluster: ClusterTargets): FaultMapping {
  const target = resolveFaultTarget(fault.target, cluster.catalog);
  if (target === undefined) return unmapped(fault, `${fault.target} is not a target of the cluster`);
  if (target.type === 'link') return linkFault(fault, target, cluster);
  return componentFault(fault, target.component, cluster);
}

export type { ComponentKey };
