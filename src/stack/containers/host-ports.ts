import { LOOPBACK } from '../../common/loopback.js';
import { type ContainersEnvironment, proxiedLinks } from '../environment.js';
import { freePort } from '../native/ports.js';

/**
 * Host ports on 127.0.0.1, chosen before any container starts: Mattermost's SiteURL names the
 * users' port, and a container started again after a kill keeps its ports (a port published as
 * "any" would get a new one from the runtime on every start).
 */
export interface HostPorts {
  /** The users' entry: the users-lb proxy on Toxiproxy, or NGINX itself without that proxy. */
  users: number;
  /** Toxiproxy's API; absent without Toxiproxy. */
  toxiproxyApi?: number;
  /** NGINX's own port (equals `users` without a users-lb proxy). */
  nginx: number;
  /** NGINX's health endpoint. */
  nginxStatus: number;
  postgresPrimary: number;
  postgresReplica?: number;
  objectStore?: number;
  /** rtcd's API, and its ICE port (TCP; the same number inside the container). */
  rtcdApi?: number;
  rtcdMedia?: number;
  /** Per app node, in order: Mattermost's HTTP port and its metrics port. */
  apps: { http: number; metrics: number }[];
}

/** Fixed ports from `env.ports`, free ones (distinct) for the rest. */
export async function allocateHostPorts(
  env: ContainersEnvironment,
  pickFreePort: () => Promise<number> = freePort,
): Promise<HostPorts> {
  const taken = new Set<number>([env.ports.lb, env.ports.toxiproxy].filter((p) => p !== 0));
  const pick = async (fixed = 0): Promise<number> => {
    if (fixed !== 0) return fixed;
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = await pickFreePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
    throw new Error(`could not find enough distinct free ports on ${LOOPBACK}`);
  };
  const links = new Set(proxiedLinks(env));
  const users = await pick(env.ports.lb);
  const ports: HostPorts = {
    users,
    nginx: links.has('users-lb') ? await pick() : users,
    nginxStatus: await pick(),
    postgresPrimary: await pick(),
    apps: [],
  };
  if (links.size > 0) ports.toxiproxyApi = await pick(env.ports.toxiproxy);
  if (env.database.replica) ports.postgresReplica = await pick();
  if (env.objectStore.enabled) ports.objectStore = await pick();
  if (env.calls.enabled) {
    ports.rtcdApi = await pick();
    ports.rtcdMedia = await pick();
  }
  for (let i = 0; i < env.appNodes; i++) ports.apps.push({ http: await pick(), metrics: await pick() });
  return ports;
}
