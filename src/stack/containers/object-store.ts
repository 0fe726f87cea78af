import { LOOPBACK } from '../../common/loopback.js';
import type { ContainerPlan, PlanContext } from './container-plan.js';
import { SERVICES } from './topology.js';

// The S3-compatible object store from the `minio/minio` image (which users' stacks may run;
// mmdrill never builds MinIO, see docs/dependencies.md). Root credentials come through the
// environment; the bucket is created from the host once the server answers (provider.ts).

export const BUCKET = 'mattermost';
export const REGION = 'us-east-1';

export function planObjectStore(ctx: PlanContext): ContainerPlan {
  const name = SERVICES.objectStore.alias;
  const hostPort = ctx.hostPorts.objectStore;
  if (hostPort === undefined) throw new Error('the object store needs a host port (hostPorts.objectStore)');
  return {
    name,
    kind: 'object-store',
    containerName: ctx.containerName(name),
    image: ctx.env.containers.images.objectStore,
    env: {
      MINIO_ROOT_USER: ctx.secrets.objectStoreAccessKey,
      MINIO_ROOT_PASSWORD: ctx.secrets.objectStoreSecretKey,
      // No web console: nothing in the stack uses it, and it would be one more listener.
      MINIO_BROWSER: 'off',
    },
    command: ['server', '/data', '--address', `:${SERVICES.objectStore.port}`],
    networkAliases: [name],
    published: [{ container: SERVICES.objectStore.port, host: hostPort }],
    files: [],
    wait: { kind: 'http', path: '/minio/health/live', port: SERVICES.objectStore.port, status: 200 },
    startupTimeoutMs: 60_000,
    dependsOn: [],
    labels: ctx.labels(name),
    url: `http://${LOOPBACK}:${hostPort}`,
  };
}
