import { LOOPBACK } from '../../common/loopback.js';
import { type ContainersEnvironment, type LinkName, proxiedLinks } from '../environment.js';

// Where each service answers on the stack's container network, and which links pass through a
// Toxiproxy proxy. Containers reach each other by network alias; the host reaches them only
// through ports published on 127.0.0.1.

export const SERVICES = {
  postgresPrimary: { alias: 'postgres-primary', port: 5432 },
  postgresReplica: { alias: 'postgres-replica', port: 5432 },
  objectStore: { alias: 'object-store', port: 9000 },
  toxiproxy: { alias: 'toxiproxy', port: 8474 },
  nginx: { alias: 'nginx', port: 80 },
} as const;

/** Mattermost's HTTP and metrics ports inside each app container. */
export const APP_HTTP_PORT = 8065;
export const APP_METRICS_PORT = 8067;

export function appName(index: number): string {
  return `app-${index}`;
}

/**
 * Toxiproxy listens for each proxy on a fixed container port, so the port can be published and
 * written into other containers' settings before the proxy is created through the API.
 */
export const PROXY_PORTS = {
  'users-lb': 10080,
  'app-db-primary': 15432,
  'app-db-replica': 15433,
  'app-object-store': 19000,
} as const;

/** lb-app-N listens on 10100 + N (N up to 32). */
export function lbAppProxyPort(index: number): number {
  return 10100 + index;
}

/** A Toxiproxy proxy, created through the API once the container named by `createAfter` is ready. */
export interface ProxyPlan {
  name: string;
  link: LinkName;
  /** Where Toxiproxy listens, inside its container. */
  listen: string;
  /** What the downstream side dials: host:port on the container network, or on 127.0.0.1 for users. */
  dial: string;
  /** What the proxy forwards to, on the container network. */
  upstream: string;
  /** The proxy is created after this component is ready (the users' entry opens last). */
  createAfter: string;
}

const address = (service: { alias: string; port: number }) => `${service.alias}:${service.port}`;
const onToxiproxy = (port: number) => `${SERVICES.toxiproxy.alias}:${port}`;
const listenOn = (port: number) => `0.0.0.0:${port}`;

/** The stack's proxies, in creation order. `usersPort`: the users' entry port on 127.0.0.1. */
export function planProxies(env: ContainersEnvironment, usersPort: number): ProxyPlan[] {
  const links = new Set(proxiedLinks(env));
  const proxies: ProxyPlan[] = [];
  const add = (
    name: string,
    link: LinkName,
    port: number,
    upstream: string,
    createAfter: string,
    dial?: string,
  ) => {
    if (links.has(link)) {
      proxies.push({
        name,
        link,
        listen: listenOn(port),
        dial: dial ?? onToxiproxy(port),
        upstream,
        createAfter,
      });
    }
  };
  const toxiproxy = SERVICES.toxiproxy.alias;
  add(
    'app-db-primary',
    'app-db-primary',
    PROXY_PORTS['app-db-primary'],
    address(SERVICES.postgresPrimary),
    toxiproxy,
  );
  if (env.database.replica) {
    add(
      'app-db-replica',
      'app-db-replica',
      PROXY_PORTS['app-db-replica'],
      address(SERVICES.postgresReplica),
      toxiproxy,
    );
  }
  if (env.objectStore.enabled) {
    add(
      'app-object-store',
      'app-object-store',
      PROXY_PORTS['app-object-store'],
      address(SERVICES.objectStore),
      toxiproxy,
    );
  }
  for (let i = 1; i <= env.appNodes; i++) {
    add(`lb-app-${i}`, 'lb-app', lbAppProxyPort(i), `${appName(i)}:${APP_HTTP_PORT}`, toxiproxy);
  }
  const users = `${LOOPBACK}:${usersPort}`;
  add('users-lb', 'users-lb', PROXY_PORTS['users-lb'], address(SERVICES.nginx), SERVICES.nginx.alias, users);
  return proxies;
}

/** host:port a container dials for a service: through the named proxy when it exists, else directly. */
export function dialAddress(proxies: readonly ProxyPlan[], proxyName: string, direct: string): string {
  return proxies.find((p) => p.name === proxyName)?.dial ?? direct;
}

export function serviceAddress(service: { alias: string; port: number }): string {
  return address(service);
}
