import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ToxiproxyClient } from '../toxiproxy-client.js';
import { REGION } from './object-store.js';
import type { ContainersStackPlan } from './stack-plan.js';
import type { ProxyPlan } from './topology.js';

// Steps done from the host once a container is ready, and again after it is started anew:
// Toxiproxy keeps its proxies in memory only; the bucket is created once (and found again).

// AWS SDK releases after January 2027 will need Node 22; the pinned ones run on Node 20 and would
// otherwise print a warning (docs/dependencies.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BUCKET_EXISTS = new Set(['BucketAlreadyOwnedByYou', 'BucketAlreadyExists']);

/** Creates the proxies (identical existing ones are kept, with their toxics). */
export async function createProxies(apiUrl: string, proxies: readonly ProxyPlan[]): Promise<void> {
  if (proxies.length === 0) return;
  await new ToxiproxyClient(apiUrl).populate(
    proxies.map((p) => ({ name: p.name, listen: p.listen, upstream: p.upstream, enabled: true })),
  );
}

export async function ensureBucket(
  endpoint: string,
  bucket: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<void> {
  const client = new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials,
    maxAttempts: 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!(error instanceof Error && BUCKET_EXISTS.has(error.name))) throw error;
  } finally {
    client.destroy();
  }
}

export interface AfterStartSteps {
  /** During `up`: what becomes possible once `component` is ready. */
  onFirstStart(component: string): Promise<void>;
  /** After a fault started `component` again: what its restart lost. */
  onRestart(component: string): Promise<void>;
}

export function afterStartSteps(
  plan: ContainersStackPlan,
  credentials: { accessKeyId: string; secretAccessKey: string },
): AfterStartSteps {
  const store = plan.containers.find((c) => c.kind === 'object-store');
  const bucket = async (component: string) => {
    if (store && plan.bucket && component === store.name)
      await ensureBucket(store.url!, plan.bucket, credentials);
  };
  const api = plan.toxiproxyApiUrl;
  return {
    async onFirstStart(component) {
      await bucket(component);
      if (api)
        await createProxies(
          api,
          plan.proxies.filter((p) => p.createAfter === component),
        );
    },
    async onRestart(component) {
      await bucket(component);
      const toxiproxy = plan.containers.find((c) => c.kind === 'toxiproxy');
      if (api && toxiproxy && component === toxiproxy.name) await createProxies(api, plan.proxies);
    },
  };
}
