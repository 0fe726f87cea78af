import { LOOPBACK } from '../../common/loopback.js';
import type { ContainerPlan, PlanContext, PublishedPort } from './container-plan.js';
import { PROXY_PORTS, SERVICES } from './topology.js';

// Toxiproxy from the `ghcr.io/shopify/toxiproxy` image. The container starts with no proxies;
// they are created through its API once it answers (provider.ts), each on the fixed container
// port topology.ts gives it. Only the API and the users' entry are published on the host: every
// other proxy is dialled by containers on the stack's network.

export function planToxiproxy(ctx: PlanContext): ContainerPlan {
  const name = SERVICES.toxiproxy.alias;
  const apiPort = ctx.hostPorts.toxiproxyApi;
  if (apiPort === undefined)
    throw new Error('Toxiproxy needs a host port for its API (hostPorts.toxiproxyApi)');
  const published: PublishedPort[] = [{ container: SERVICES.toxiproxy.port, host: apiPort }];
  if (ctx.proxies.some((p) => p.name === 'users-lb')) {
    published.push({ container: PROXY_PORTS['users-lb'], host: ctx.hostPorts.users });
  }
  return {
    name,
    kind: 'toxiproxy',
    containerName: ctx.containerName(name),
    image: ctx.env.containers.images.toxiproxy,
    // 'info' logs every accepted connection, which dominates the log under load.
    env: { LOG_LEVEL: 'warn' },
    // The image's entrypoint is the server; it binds the API on all interfaces of its container.
    command: ['-host=0.0.0.0', `-port=${SERVICES.toxiproxy.port}`],
    networkAliases: [name],
    published,
    files: [],
    wait: { kind: 'http', path: '/version', port: SERVICES.toxiproxy.port, status: 200 },
    startupTimeoutMs: 30_000,
    dependsOn: [],
    labels: ctx.labels(name),
    url: `http://${LOOPBACK}:${apiPort}`,
  };
}
