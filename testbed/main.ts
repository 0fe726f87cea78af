#!/usr/bin/env node
// Entry point of the Mattermost test double: one app node per process.
// Started by the native stack provider and by `mmdrill double`; never imported by src/.
import { Command, InvalidArgumentError } from 'commander';
import { type DoubleConfig, defaultConfig } from './double/config.js';
import { DoubleNode } from './double/node.js';

function hostPort(value: string): { host: string; port: number } {
  const match = /^(?:(.+):)?(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new InvalidArgumentError('expected HOST:PORT, e.g. 127.0.0.1:8065');
  return { host: match[1] ?? '127.0.0.1', port };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function rateLimit(value: string): { perSec: number; maxBurst: number } {
  const [per, burst] = value.split(':');
  const perSec = Number(per);
  const maxBurst = burst === undefined ? 100 : Number(burst);
  if (!(perSec > 0) || !Number.isInteger(maxBurst) || maxBurst < 0) {
    throw new InvalidArgumentError('expected PER_SEC[:BURST], e.g. 10:100');
  }
  return { perSec, maxBurst };
}

function capacityLimit(value: string): { concurrency: number; serviceMs: number } {
  const match = /^(\d+):(\d+)$/.exec(value);
  const concurrency = Number(match?.[1]);
  const serviceMs = Number(match?.[2]);
  if (!match || concurrency < 1 || serviceMs < 1)
    throw new InvalidArgumentError('expected CONCURRENCY:SERVICE_MS (both at least 1), e.g. 5:25');
  return { concurrency, serviceMs };
}

const UNSAFE_MODES = ['ack-before-commit', 'drop-events', 'leak-memory', 'creeping-latency'] as const;

function unsafeModes(value: string): Set<(typeof UNSAFE_MODES)[number]> {
  const modes = value.split(',').filter(Boolean);
  for (const m of modes) {
    if (!(UNSAFE_MODES as readonly string[]).includes(m)) {
      throw new InvalidArgumentError(`unknown mode "${m}"; expected one of ${UNSAFE_MODES.join(', ')}`);
    }
  }
  return new Set(modes as (typeof UNSAFE_MODES)[number][]);
}

const program = new Command('mm-double')
  .description(
    'Mattermost test double: one app node speaking Mattermost API v4 and WebSocket on PostgreSQL and S3',
  )
  .option('--listen <host:port>', 'API and WebSocket listener', '127.0.0.1:8065')
  .option(
    '--database-url <url>',
    'PostgreSQL primary (env MM_SQLSETTINGS_DATASOURCE)',
    process.env.MM_SQLSETTINGS_DATASOURCE,
  )
  .option(
    '--replica-url <url>',
    'PostgreSQL read replica (env MM_SQLSETTINGS_DATASOURCEREPLICAS)',
    process.env.MM_SQLSETTINGS_DATASOURCEREPLICAS,
  )
  .option('--s3-endpoint <url>', 'S3-compatible endpoint, e.g. http://127.0.0.1:7070')
  .option('--s3-bucket <name>', 'bucket for uploaded files', 'mattermost')
  .option('--s3-region <region>', 'S3 region', 'us-east-1')
  .option('--metrics-listen <host:port>', 'Prometheus /metrics listener', hostPort)
  .option('--node-id <id>', 'cluster node id', 'n1')
  .option('--rate-limit <perSec[:burst]>', 'enable API rate limiting per remote address', rateLimit)
  .option(
    '--capacity-limit <concurrency:serviceMs>',
    'capacity tests only: each API request holds one of CONCURRENCY slots for SERVICE_MS first (FIFO queue), so the node serves at most CONCURRENCY/SERVICE_MS requests per ms',
    capacityLimit,
  )
  .option(
    '--rtcd-url <url>',
    'enable the Calls plugin, linked to this rtcd double (env MM_CALLS_RTCD_SERVICE_URL)',
    process.env.MM_CALLS_RTCD_SERVICE_URL,
  )
  .option(
    '--data-dir <dir>',
    "the node's local files: uploaded import archives go to <dir>/import (share it between the nodes of a stack)",
  )
  .option('--max-file-size <bytes>', 'largest accepted upload', positiveInt, 100 << 20)
  .option('--query-timeout <ms>', 'database query timeout', positiveInt, 30_000)
  .option('--ws-replay-buffer <events>', 'events kept per WebSocket connection for replay', positiveInt, 128)
  .option('--ws-dead-ttl <ms>', 'how long a closed connection can be resumed', positiveInt, 300_000)
  .option('--ws-auth-timeout <ms>', 'close unauthenticated sockets after this long', positiveInt, 5_000)
  .option('--ws-ping-interval <ms>', 'protocol-level ping interval', positiveInt, 60_000)
  .option(
    '--dns-server <host:port>',
    "resolve outside names only through this DNS server (the stack's DNS sink)",
  )
  .option(
    '--link-previews',
    "fetch each new post's first link, as ServiceSettings.EnableLinkPreviews (needs --dns-server)",
  )
  .option(
    '--unsafe <modes>',
    `deliberately unsafe behaviour for audit tests: ${UNSAFE_MODES.join(', ')}`,
    unsafeModes,
  )
  .addHelpText(
    'after',
    '\nS3 credentials come from MM_FILESETTINGS_AMAZONS3ACCESSKEYID and MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY\n(never from the command line). Calls ICE servers (with TURN credentials) come from\nMM_CALLS_ICE_SERVERS_CONFIGS, a JSON array of {urls, username?, credential?}, as for the plugin.\nMMDOUBLE_CONFIG_JSON sets Mattermost config keys over the defaults (a JSON object, e.g.\n{"EmailSettings":{"PushNotificationContents":"id_loaded"}}); GET/PUT /api/v4/config show and change them.\nSIGTERM or SIGINT stops the node gracefully.',
  )
  .showHelpAfterError('(run mm-double --help for the options)')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.parse();
const opts = program.opts();

function usage(message: string): never {
  process.stderr.write(`mm-double: ${message}\n`);
  process.exit(2);
}

if (!opts.databaseUrl) usage('--database-url (or MM_SQLSETTINGS_DATASOURCE) is required');

let objectStore: DoubleConfig['objectStore'];
if (opts.s3Endpoint) {
  const accessKey = process.env.MM_FILESETTINGS_AMAZONS3ACCESSKEYID;
  const secretKey = process.env.MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY;
  if (!accessKey || !secretKey) {
    usage(
      '--s3-endpoint needs MM_FILESETTINGS_AMAZONS3ACCESSKEYID and MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY in the environment',
    );
  }
  objectStore = {
    endpoint: opts.s3Endpoint,
    bucket: opts.s3Bucket,
    region: opts.s3Region,
    accessKey,
    secretKey,
  };
}

let calls: DoubleConfig['calls'];
if (opts.rtcdUrl) {
  if (!/^https?:\/\/[^/]+/.test(String(opts.rtcdUrl))) usage('--rtcd-url: expected http://HOST:PORT');
  calls = { rtcdUrl: String(opts.rtcdUrl), iceServers: iceServersFromEnv() };
}

function iceServersFromEnv(): NonNullable<DoubleConfig['calls']>['iceServers'] {
  const raw = process.env.MM_CALLS_ICE_SERVERS_CONFIGS;
  if (!raw) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    usage('MM_CALLS_ICE_SERVERS_CONFIGS: expected a JSON array of {urls, username?, credential?}');
  }
  const valid =
    Array.isArray(value) &&
    value.every(
      (v: { urls?: unknown }) =>
        v && Array.isArray(v.urls) && v.urls.every((u: unknown) => typeof u === 'string'),
    );
  if (!valid)
    usage('MM_CALLS_ICE_SERVERS_CONFIGS: expected a JSON array of {urls: string[], username?, credential?}');
  return value as NonNullable<DoubleConfig['calls']>['iceServers'];
}

/** MMDOUBLE_CONFIG_JSON: Mattermost config keys over the defaults (in the environment: it may hold secrets). */
function mmConfigFromEnv(): DoubleConfig['mmConfig'] {
  const raw = process.env.MMDOUBLE_CONFIG_JSON;
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    usage('MMDOUBLE_CONFIG_JSON: expected a JSON object of Mattermost config sections');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    usage('MMDOUBLE_CONFIG_JSON: expected a JSON object of Mattermost config sections');
  return value as DoubleConfig['mmConfig'];
}

if (opts.linkPreviews && !opts.dnsServer)
  usage('--link-previews needs --dns-server: previews must not resolve outside names through the host');
if (opts.dnsServer) {
  try {
    hostPort(String(opts.dnsServer));
  } catch (err) {
    usage(`--dns-server: ${(err as Error).message}`);
  }
}

let listen: { host: string; port: number };
try {
  listen = hostPort(String(opts.listen));
} catch (err) {
  usage(`--listen: ${(err as Error).message}`);
}
const base = defaultConfig({ databaseUrl: opts.databaseUrl });
const config: DoubleConfig = {
  ...base,
  nodeId: opts.nodeId,
  listenHost: listen.host,
  listenPort: listen.port,
  metricsHost: opts.metricsListen?.host,
  metricsPort: opts.metricsListen?.port,
  replicaUrl: opts.replicaUrl || undefined,
  objectStore,
  rateLimit: opts.rateLimit,
  capacityLimit: opts.capacityLimit,
  calls,
  maxFileSizeBytes: opts.maxFileSize,
  ...(opts.dataDir && { dataDir: String(opts.dataDir) }),
  queryTimeoutMs: opts.queryTimeout,
  websocket: {
    ...base.websocket,
    replayBufferSize: opts.wsReplayBuffer,
    deadConnectionTtlMs: opts.wsDeadTtl,
    authTimeoutMs: opts.wsAuthTimeout,
    pingIntervalMs: opts.wsPingInterval,
  },
  unsafe: opts.unsafe ?? new Set(),
  ...(opts.linkPreviews && { linkPreviews: { dnsServer: String(opts.dnsServer) } }),
};

const node = new DoubleNode({ ...config, mmConfig: mmConfigFromEnv() });
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    node.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

node.start().catch((err: unknown) => {
  process.stderr.write(`mm-double: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
