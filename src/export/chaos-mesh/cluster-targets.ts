import type { ComponentKind, TargetCatalog } from '../../faults/targets.js';
import type { ExistingEnvironment, LinkName } from '../../stack/environment.js';
import type { KubernetesSettings } from '../../stack/kubernetes.js';

// The fault plan's targets on a cluster: every link and component a plan may name, and the pods
// each side of it is (a Chaos Mesh selector from the environment's kubernetes section). Names
// stay mmdrill's (app-2, lb-app-2, postgres-primary…), so the same plan runs in both worlds.

export type ComponentKey = keyof KubernetesSettings['components'] | 'loadGenerators';

/** Chaos Mesh's pod selector (the subset mmdrill writes). */
export interface PodSelector {
  namespaces: string[];
  labelSelectors: Record<string, string>;
}

/** Which pods of a component: all of them, or one chosen by Chaos Mesh (app-2 is "one app pod"). */
export interface Pods {
  key: ComponentKey;
  mode: 'all' | 'one';
  selector: PodSelector | undefined;
  container?: string;
}

/** Each link's client and server side. */
export const LINK_SIDES: Readonly<Record<LinkName, { client: ComponentKey; server: ComponentKey }>> = {
  'users-lb': { client: 'loadGenerators', server: 'loadBalancer' },
  'lb-app': { client: 'loadBalancer', server: 'app' },
  'app-db-primary': { client: 'app', server: 'postgresPrimary' },
  'app-db-replica': { client: 'app', server: 'postgresReplica' },
  'app-object-store': { client: 'app', server: 'objectStore' },
  // Calls media relayed by TURN; on Kubernetes the media server side is rtcd's pods.
  'users-turn': { client: 'loadGenerators', server: 'rtcd' },
};

const COMPONENT_NAMES: readonly { name: string; kind: ComponentKind; key: ComponentKey }[] = [
  { name: 'postgres-primary', kind: 'database', key: 'postgresPrimary' },
  { name: 'postgres-replica', kind: 'database-replica', key: 'postgresReplica' },
  { name: 'object-store', kind: 'object-store', key: 'objectStore' },
  { name: 'nginx', kind: 'load-balancer', key: 'loadBalancer' },
];

export interface ClusterTargets {
  catalog: TargetCatalog;
  /** The pods of a component key (selector undefined when the environment gives no labels). */
  pods(key: ComponentKey, mode?: 'all' | 'one'): Pods;
  /** The component key behind a component name of the catalog. */
  componentKey(name: string): { key: ComponentKey; mode: 'all' | 'one' } | undefined;
}

export function clusterTargets(env: ExistingEnvironment, k8s: KubernetesSettings): ClusterTargets {
  const proxies: { name: string; link: LinkName }[] = [];
  for (const link of Object.keys(LINK_SIDES) as LinkName[]) {
    if (link === 'lb-app') {
      for (let i = 1; i <= k8s.appNodes; i++) proxies.push({ name: `lb-app-${i}`, link });
    } else proxies.push({ name: link, link });
  }
  const components: { name: string; kind: ComponentKind }[] = COMPONENT_NAMES.map(({ name, kind }) => ({
    name,
    kind,
  }));
  for (let i = 1; i <= k8s.appNodes; i++) components.push({ name: `app-${i}`, kind: 'app' });
  const catalog: TargetCatalog = {
    provider: 'existing',
    destructiveAllowed: env.existing.allowDestructive,
    proxies,
    components,
  };
  const pods = (key: ComponentKey, mode: 'all' | 'one' = 'all'): Pods => {
    if (key === 'loadGenerators')
      return {
        key,
        mode,
        selector: {
          namespaces: [k8s.loadGenerators.namespace],
          labelSelectors: { ...k8s.loadGenerators.labels },
        },
      };
    const component = k8s.components[key];
    if (component === undefined) return { key, mode, selector: undefined };
    return {
      key,
      mode,
      selector: {
        namespaces: [component.namespace ?? k8s.namespace],
        labelSelectors: { ...component.labels },
      },
      ...(component.container !== undefined && { container: component.container }),
    };
  };
  const componentKey = (name: string) => {
    if (/^app-\d+$/.test(name)) return { key: 'app' as const, mode: 'one' as const };
    const found = COMPONENT_NAMES.find((c) => c.name === name);
    return found === undefined ? undefined : { key: found.key, mode: 'all' as const };
  };
  return { catalog, pods, componentKey };
}
