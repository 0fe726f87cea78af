import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigObject } from './mm-config/defaults.js';

export interface ObjectStoreConfig {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

export interface RateLimitConfig {
  perSec: number;
  maxBurst: number;
}

/** A deliberately capped app tier (see http/capacity-gate.ts). */
export interface CapacityLimitConfig {
  concurrency: number;
  serviceMs: number;
}

/** The Calls plugin: the rtcd double to link to and the ICE servers advertised to clients. */
export interface DoubleCallsConfig {
  rtcdUrl: string;
  iceServers: { urls: string[]; username?: string; credential?: string }[];
}

export interface DoubleConfig {
  nodeId: string;
  listenHost: string;
  listenPort: number;
  metricsHost?: string;
  metricsPort?: number;
  databaseUrl: string;
  replicaUrl?: string;
  /**
   * Local files of the node: uploaded import archives go to `<dataDir>/import` (the nodes of one
   * stack share it, so a chunk may reach any node).
   */
  dataDir: string;
  objectStore?: ObjectStoreConfig;
  rateLimit?: RateLimitConfig;
  /** Capacity-test cap: C request slots each held S ms (absent: no cap). */
  capacityLimit?: CapacityLimitConfig;
  /** Calls enabled (absent: a server without the Calls plugin). */
  calls?: DoubleCallsConfig;
  /**
   * Mattermost configuration keys set over the defaults (mm-config/initial.ts), e.g.
   * `{ EmailSettings: { PushNotificationContents: 'id_loaded' } }`; from MMDOUBLE_CONFIG_JSON.
   */
  mmConfig?: ConfigObject;
  /** Mattermost's server version, e.g. "10.5.0"; also sent as X-Version-Id. */
  version: string;
  versionId: string;
  maxRequestBodyBytes: number;
  maxFileSizeBytes: number;
  queryTimeoutMs: number;
  dbMaxConnections: number;
  websocket: {
    authTimeoutMs: number;
    pingIntervalMs: number;
    replayBufferSize: number;
    deadConnectionTtlMs: number;
  };
  /**
   * Deliberately unsafe behaviour, used only to prove that mmdrill's audits catch it:
   * `ack-before-commit` answers 201 for a post before its transaction commits; `leak-memory` and
   * `creeping-latency` grow memory and latency over time (unsafe-drift.ts).
   */
  /**
   * Link previews (Mattermost's ServiceSettings.EnableLinkPreviews): fetch a new post's first
   * link, resolving through `dnsServer` ("host:port", the stack's DNS sink) only.
   */
  linkPreviews?: { dnsServer: string };
  unsafe: Set<'ack-before-commit' | 'drop-events' | 'leak-memory' | 'creeping-latency'>;
}

export const DEFAULT_VERSION = '10.11.0';

export function defaultConfig(
  overrides: Partial<DoubleConfig> & Pick<DoubleConfig, 'databaseUrl'>,
): DoubleConfig {
  const version = overrides.version ?? DEFAULT_VERSION;
  return {
    nodeId: 'n1',
    listenHost: '127.0.0.1',
    listenPort: 8065,
    version,
    versionId: `${version}.${version}.double.true`,
    dataDir: join(tmpdir(), 'mm-double-data'),
    maxRequestBodyBytes: 1 << 20,
    maxFileSizeBytes: 100 << 20,
    queryTimeoutMs: 30_000,
    dbMaxConnections: 20,
    websocket: {
      authTimeoutMs: 5_000,
      pingIntervalMs: 60_000,
      replayBufferSize: 128,
      deadConnectionTtlMs: 5 * 60_000,
    },
    unsafe: new Set(),
    ...overrides,
  };
}
