import type { Environment, LinkName, ProviderName } from '../stack/environment.js';
import { LINKS, proxiedLinks } from '../stack/environment.js';
import type { StackComponent, StackDocument } from '../stack/stack-document.js';

// What a fault can be aimed at: the links (each carried by one or more Toxiproxy proxies) and
// the components of a stack. Known before the stack exists (from the environment, to check a
// plan) and after (from the stack document, to act).

export type ComponentKind = StackComponent['kind'];

export interface TargetCatalog {
  provider: ProviderName;
  /** Partition, kill, freeze, restart, failover and outage are allowed (not on `existing` without opt-in). */
  destructiveAllowed: boolean;
  proxies: readonly { name: string; link: LinkName }[];
  components: readonly { name: string; kind: ComponentKind }[];
}

/** A target name, resolved: the proxies of a link (or one proxy), or one component. */
export type ResolvedTarget =
  | { type: 'link'; link: LinkName; proxies: string[] }
  | { type: 'component'; component: string; componentKind: ComponentKind };

/** The targets a stack of `env` will have (component and proxy names as the providers give them). */
export function catalogFromEnvironment(env: Environment): TargetCatalog {
  if (env.provider === 'existing') {
    const proxies: { name: string; link: LinkName }[] = [];
    for (const instance of env.existing.toxiproxy) {
      for (const [link, names] of Object.entries(instance.links) as [
        LinkName,
        string | string[] | undefined,
      ][]) {
        for (const name of names === undefined ? [] : Array.isArray(names) ? names : [names])
          proxies.push({ name, link });
      }
    }
    return {
      provider: 'existing',
      destructiveAllowed: env.existing.allowDestructive,
      proxies,
      components: [],
    };
  }
  const proxies: { name: string; link: LinkName }[] = [];
  for (const link of proxiedLinks(env)) {
    if (link === 'lb-app') {
      for (let i = 1; i <= env.appNodes; i++) proxies.push({ name: `lb-app-${i}`, link });
    } else proxies.push({ name: link, link });
  }
  const components: { name: string; kind: ComponentKind }[] = [
    { name: 'postgres-primary', kind: 'database' },
  ];
  if (env.database.replica) components.push({ name: 'postgres-replica', kind: 'database-replica' });
  if (env.objectStore.enabled) components.push({ name: 'object-store', kind: 'object-store' });
  if (proxies.length > 0) components.push({ name: 'toxiproxy', kind: 'toxiproxy' });
  if (env.calls.enabled) {
    components.push({ name: 'rtcd', kind: 'media-server' });
    if (env.provider === 'native' && env.calls.turn) components.push({ name: 'coturn', kind: 'turn' });
  }
  if (env.provider === 'native' && env.egressWatch?.enabled)
    components.push({ name: 'egress-sink', kind: 'egress-sink' });
  for (let i = 1; i <= env.appNodes; i++) components.push({ name: `app-${i}`, kind: 'app' });
  components.push({ name: 'nginx', kind: 'load-balancer' });
  return { provider: env.provider, destructiveAllowed: true, proxies, components };
}

/** The targets of a running stack. `allowDestructive` defaults to false for `existing`, else true. */
export function catalogFromStack(
  document: StackDocument,
  options: { allowDestructive?: boolean } = {},
): TargetCatalog {
  return {
    provider: document.provider,
    destructiveAllowed: options.allowDestructive ?? document.provider !== 'existing',
    proxies: document.proxies.map((p) => ({ name: p.name, link: p.link })),
    components: document.components.map((c) => ({ name: c.name, kind: c.kind })),
  };
}

/**
 * A link name means every proxy on that link (`lb-app`: one per app node); a proxy name means
 * that proxy; a component name that component. Undefined when the catalog has none of these.
 */
export function resolveFaultTarget(target: string, catalog: TargetCatalog): ResolvedTarget | undefined {
  if ((LINKS as readonly string[]).includes(target)) {
    const link = target as LinkName;
    const proxies = catalog.proxies.filter((p) => p.link === link).map((p) => p.name);
    if (proxies.length > 0) return { type: 'link', link, proxies };
  }
  const proxy = catalog.proxies.find((p) => p.name === target);
  if (proxy) return { type: 'link', link: proxy.link, proxies: [proxy.name] };
  const component = catalog.components.find((c) => c.name === target);
  if (component) return { type: 'component', component: component.name, componentKind: component.kind };
  return undefined;
}

/** Every name resolveFaultTarget() accepts, links first (for messages and suggestions). */
export function targetNames(catalog: TargetCatalog): string[] {
  const links = LINKS.filter((l) => catalog.proxies.some((p) => p.link === l));
  const proxies = catalog.proxies.map((p) => p.name).filter((n) => !(links as readonly string[]).includes(n));
  return [...links, ...proxies, ...catalog.components.map((c) => c.name)];
}

/** The proxies carrying `link`, or none. */
export function proxiesOf(link: LinkName, catalog: TargetCatalog): string[] {
  return catalog.proxies.filter((p) => p.link === link).map((p) => p.name);
}
