import { posix } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import { parseDuration } from '../../config/duration.js';
import { renderNginxConfig } from '../native/nginx-config.js';
import type { ContainerPlan, PlanContext } from './container-plan.js';
import { APP_HTTP_PORT, appName, dialAddress, SERVICES } from './topology.js';

// The load balancer from the official `nginx` image, with the same nginx.conf the native
// provider renders (Mattermost's HA guidance: round-robin, upstream keepalive, WebSocket upgrade,
// generous timeouts, client_max_body_size). Its upstreams are the lb-app proxies on Toxiproxy, or
// the app containers themselves on links without a proxy.

/** nginx's files (config, pid, temp) inside the container. */
export const NGINX_DIR = '/var/lib/mmdrill/nginx';
export const NGINX_CONF = posix.join(NGINX_DIR, 'nginx.conf');
/** The health endpoint's port inside the container (/nginx-health, /nginx-status). */
export const NGINX_STATUS_PORT = 8081;

/** host:port of each app node as nginx reaches it, in node order. */
export function nginxUpstreams(ctx: PlanContext): string[] {
  return Array.from({ length: ctx.env.appNodes }, (_, i) =>
    dialAddress(ctx.proxies, `lb-app-${i + 1}`, `${appName(i + 1)}:${APP_HTTP_PORT}`),
  );
}

export function nginxConfig(ctx: PlanContext): string {
  return renderNginxConfig({
    dir: NGINX_DIR,
    port: SERVICES.nginx.port,
    statusPort: NGINX_STATUS_PORT,
    upstreams: nginxUpstreams(ctx),
    generation: 1,
    // The image's master runs as root; its workers as the image's own unprivileged user.
    workerUser: 'nginx',
    listenAddress: '0.0.0.0',
    accessLog: '/dev/stdout',
    clientMaxBodySize: ctx.env.loadBalancer.clientMaxBodySize,
    proxyReadTimeoutSeconds: Math.round(parseDuration(ctx.env.loadBalancer.proxyReadTimeout) / 1000),
  });
}

export function planNginx(ctx: PlanContext): ContainerPlan {
  const name = SERVICES.nginx.alias;
  return {
    name,
    kind: 'load-balancer',
    containerName: ctx.containerName(name),
    image: ctx.env.containers.images.nginx,
    // The image's entrypoint narrates its setup scripts (none of which apply to this config).
    env: { NGINX_ENTRYPOINT_QUIET_LOGS: '1' },
    command: ['nginx', '-c', NGINX_CONF, '-g', 'daemon off;'],
    networkAliases: [name],
    published: [
      { container: SERVICES.nginx.port, host: ctx.hostPorts.nginx },
      { container: NGINX_STATUS_PORT, host: ctx.hostPorts.nginxStatus },
    ],
    files: [
      { target: NGINX_CONF, content: nginxConfig(ctx), mode: 0o644 },
      // nginx creates its temp directories one level deep; their parent must exist.
      { target: posix.join(NGINX_DIR, 'temp', '.keep'), content: '', mode: 0o644 },
    ],
    wait: { kind: 'http', path: '/nginx-health', port: NGINX_STATUS_PORT, status: 200 },
    startupTimeoutMs: 30_000,
    dependsOn: Array.from({ length: ctx.env.appNodes }, (_, i) => appName(i + 1)),
    labels: ctx.labels(name),
    url: `http://${LOOPBACK}:${ctx.hostPorts.nginx}`,
  };
}
