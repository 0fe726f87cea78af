import { type Static, Type } from '@sinclair/typebox';
import { Duration } from '../config/duration.js';
import { ClosedObject, ForbiddenKey, PatternString, StringEnum } from '../config/schema-builders.js';
import { KubernetesSchema } from './kubernetes.js';

// The environment file: which stack a drill runs against and how it is built. One definition gives
// the TypeScript type, the validation and the published schemas/environment.schema.json.

export const PROVIDERS = ['native', 'containers', 'existing'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** The links a fault plan can impair; each passes through its own Toxiproxy proxy. */
export const LINKS = [
  'users-lb',
  'lb-app',
  'app-db-primary',
  'app-db-replica',
  'app-object-store',
  'users-turn',
] as const;
export type LinkName = (typeof LINKS)[number];

const URL_PATTERN = '^https?://[^\\s/]+(/\\S*)?$';
const URL_EXPECTATION = 'expected an http:// or https:// URL';

const Link = StringEnum(LINKS, { description: 'A link of the topology that gets a Toxiproxy proxy.' });

const Port = (description: string) =>
  Type.Union([Type.Literal(0), Type.Integer({ minimum: 1024, maximum: 65535 })], {
    default: 0,
    errorMessage: 'expected 0 (any free port) or a port from 1024 to 65535',
    description,
  });

const DatabaseSchema = ClosedObject(
  {
    replica: Type.Boolean({
      default: true,
      description:
        'Run a streaming replica beside the primary (needed for failover faults and app-db-replica).',
    }),
    version: Type.Optional(
      PatternString('^[0-9]+$', 'expected a PostgreSQL major version such as "15"', {
        description:
          'PostgreSQL major version, as a string ("15"). native: the installed major to use (default: the newest installed). containers: see containers.images.postgres.',
      }),
    ),
  },
  { default: {}, description: 'PostgreSQL: a primary, and a streaming replica unless replica is false.' },
);

const ObjectStoreSchema = ClosedObject(
  {
    enabled: Type.Boolean({
      default: true,
      description: 'Run an S3-compatible object store for file uploads.',
    }),
  },
  { default: {}, description: 'S3-compatible object store for files.' },
);

const CallsSchema = ClosedObject(
  {
    enabled: Type.Boolean({
      default: true,
      description:
        'Run the Calls media server (native: the rtcd double; containers: mattermost/rtcd) and enable Calls on the app nodes.',
    }),
    turn: Type.Boolean({
      default: true,
      description:
        'native: run coturn on 127.0.0.1 behind the users-turn Toxiproxy proxy and advertise it (TURN over TCP) in the Calls config, so relay-only participants send media through Toxiproxy.',
    }),
  },
  { default: {}, description: 'Mattermost Calls: media server and TURN relay.' },
);

const PortsSchema = ClosedObject(
  {
    lb: Port("The users' entry port (in front of the load balancer); 0: a free port."),
    toxiproxy: Port('The Toxiproxy API port; 0: a free port.'),
  },
  {
    default: {},
    description:
      'Ports on 127.0.0.1. 0 or absent: a free port chosen at start; otherwise that port (it must be free).',
  },
);

const LoadBalancerSchema = ClosedObject(
  {
    clientMaxBodySize: PatternString('^[0-9]+[kKmMgG]?$', 'expected an NGINX size such as 100M, 512k or 1G', {
      default: '100M',
      description: "NGINX client_max_body_size: the largest upload (Mattermost's HA guide uses 100M).",
    }),
    proxyReadTimeout: Duration({
      default: '90s',
      description: "NGINX proxy_read_timeout (Mattermost's HA guide uses 90s; its single-server guide 600s).",
    }),
  },
  { default: {}, description: "NGINX in front of the app nodes, configured after Mattermost's HA guide." },
);

const AdminSchema = ClosedObject(
  {
    username: Type.String({
      minLength: 1,
      default: 'sysadmin',
      description: 'The system admin account mmdrill uses.',
    }),
    passwordEnv: PatternString('^[A-Za-z_][A-Za-z0-9_]*$', 'expected an environment variable name', {
      default: 'MMDRILL_ADMIN_PASSWORD',
      description: "Name of the environment variable that holds the admin's password.",
    }),
    tokenEnv: PatternString('^[A-Za-z_][A-Za-z0-9_]*$', 'expected an environment variable name', {
      default: 'MMDRILL_ADMIN_TOKEN',
      description:
        "Name of the environment variable that may hold a system admin's personal access token. When it is set, read-only commands (`mmdrill audit sovereignty`) use the token instead of logging in.",
    }),
    password: ForbiddenKey(
      'passwords never go in environment files: put it in an environment variable and name that variable with passwordEnv',
    ),
  },
  { default: {}, description: 'The system admin account. The password comes from an environment variable.' },
);

const Image = (image: string, what: string) =>
  PatternString('^\\S+$', 'expected an image reference such as postgres:15', {
    default: image,
    description: `Image for ${what}.`,
  });

const ContainersSchema = ClosedObject(
  {
    images: ClosedObject(
      {
        mattermost: Image('mattermost/mattermost-enterprise-edition:11.7.1', 'the Mattermost app nodes'),
        postgres: Image('postgres:15', 'PostgreSQL primary and replica'),
        objectStore: Image('minio/minio:RELEASE.2025-09-07T16-13-09Z', 'the S3-compatible object store'),
        nginx: Image('nginx:1.28', 'the load balancer'),
        toxiproxy: Image('ghcr.io/shopify/toxiproxy:2.12.0', 'Toxiproxy'),
        rtcd: Image('mattermost/rtcd:v0.18.0', 'the Calls media server (calls.enabled)'),
      },
      {
        default: {},
        description: 'Container images; each can be overridden (for a mirror or another version).',
      },
    ),
  },
  { default: {}, description: 'Settings of the containers provider (only with provider: containers).' },
);

/** Mattermost config sections (ServiceSettings, EmailSettings, ..., FeatureFlags) and their keys. */
const MattermostConfigSchema = Type.Record(
  Type.String({ pattern: '^([A-Z][A-Za-z0-9]*Settings|FeatureFlags)$' }),
  Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*$' }), Type.Unknown(), {
    errorMessage: 'expected a map of Mattermost config keys, e.g. { EnableLinkPreviews: false }',
  }),
  {
    default: {},
    additionalProperties: false,
    errorMessage:
      'expected Mattermost config sections (ServiceSettings, EmailSettings, ..., FeatureFlags), each a map of keys',
    description:
      "Mattermost configuration of the test double's app nodes, merged key by key over Mattermost's defaults (what GET /api/v4/config answers), e.g. { EmailSettings: { PushNotificationContents: id_loaded } }. The native stack sets EmailSettings.PushNotificationServer to its push-proxy sink unless given here. Keys the double does not act on are still stored and reported.",
  },
);

const TestDoubleSchema = ClosedObject(
  {
    config: Type.Optional(MattermostConfigSchema),
    unsafe: Type.Array(
      StringEnum(['ack-before-commit', 'drop-events', 'leak-memory', 'creeping-latency'] as const, {
        description: 'An unsafe mode.',
      }),
      {
        default: [],
        uniqueItems: true,
        description:
          "Deliberately unsafe behaviour of the test double's app nodes, only to show that mmdrill's audits catch it: ack-before-commit (posts acknowledged before they are committed), drop-events (no WebSocket events), leak-memory (32 KiB kept per request), creeping-latency (answers slower by 1 ms per 2 s of uptime).",
      },
    ),
    capacityLimit: Type.Optional(
      ClosedObject(
        {
          concurrency: Type.Integer({ minimum: 1, description: 'Request slots per app node.' }),
          serviceTime: Duration({ description: 'How long each request holds its slot, e.g. 25ms.' }),
        },
        {
          description:
            'A deliberately capped app tier, to test capacity searches: each API request holds one of `concurrency` slots for `serviceTime` first (FIFO queue), so a node serves at most concurrency/serviceTime requests per second.',
        },
      ),
    ),
    linkPreviews: Type.Optional(
      Type.Boolean({
        description:
          "Link previews (Mattermost's ServiceSettings.EnableLinkPreviews): a new post's first http(s) link is fetched by the app node, an outbound connection the egress watch reports. Default false.",
      }),
    ),
  },
  { default: {}, description: 'Settings of the Mattermost test double (provider native only).' },
);

const EgressWatchSchema = ClosedObject(
  {
    enabled: Type.Boolean({
      default: false,
      description:
        'Watch the app tier for outbound connections to anything outside the stack: each app node runs under its own uid behind an nftables rule that rejects non-loopback destinations and records them, and resolves names through a DNS sink of the stack that answers outside names with loopback traps. Needs root and nftables (native only; docs/egress.md).',
    }),
    failOnFinding: Type.Boolean({
      default: true,
      description:
        'A run or drill with an egress finding fails (exit 99); false: the findings are only reported.',
    }),
  },
  { default: {}, description: 'The egress watch (provider native; see docs/egress.md for containers).' },
);

const ProxyNames = (link: LinkName) =>
  Type.Optional(
    Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
      errorMessage: 'expected a proxy name or a list of proxy names',
      description: `Name of the proxy (or proxies) on the ${link} link.`,
    }),
  );

const ToxiproxySchema = ClosedObject({
  api: PatternString(URL_PATTERN, URL_EXPECTATION, {
    description: 'Toxiproxy API URL, e.g. http://127.0.0.1:8474.',
  }),
  links: ClosedObject(
    {
      'users-lb': ProxyNames('users-lb'),
      'lb-app': ProxyNames('lb-app'),
      'app-db-primary': ProxyNames('app-db-primary'),
      'app-db-replica': ProxyNames('app-db-replica'),
      'app-object-store': ProxyNames('app-object-store'),
      'users-turn': ProxyNames('users-turn'),
    },
    { default: {}, description: 'Which existing proxy carries each link (lb-app: one per app node).' },
  ),
});

const ExistingSchema = ClosedObject(
  {
    url: PatternString(URL_PATTERN, URL_EXPECTATION, {
      description: "The deployment's URL, as users reach it.",
    }),
    toxiproxy: Type.Array(ToxiproxySchema, {
      default: [],
      description:
        'Toxiproxy instances already in the path of this deployment; faults are injected only through them.',
    }),
    allowDestructive: Type.Boolean({
      default: false,
      description: 'Allow destructive faults (link down, kill, failover) against this deployment.',
    }),
  },
  {
    description:
      'A running deployment reached by URL (only with provider: existing). mmdrill starts nothing.',
  },
);

export const EnvironmentSchema = ClosedObject(
  {
    name: PatternString('^[A-Za-z0-9][A-Za-z0-9._-]*$', "expected letters, digits, '.', '_' or '-'", {
      maxLength: 64,
      description: 'Name shown in reports and run directories.',
    }),
    provider: StringEnum(PROVIDERS, {
      description:
        'native: child processes on this machine; containers: Testcontainers; existing: a running deployment.',
    }),
    appNodes: Type.Integer({
      minimum: 1,
      maximum: 32,
      default: 2,
      description: 'Number of app nodes (native, containers).',
    }),
    database: DatabaseSchema,
    objectStore: ObjectStoreSchema,
    calls: CallsSchema,
    proxies: Type.Union([Type.Literal('all'), Type.Array(Link, { uniqueItems: true })], {
      default: 'all',
      errorMessage: `expected "all" or a list of links (${LINKS.join(', ')})`,
      description: 'Links that get a Toxiproxy proxy: "all", or a list of links.',
    }),
    ports: PortsSchema,
    loadBalancer: LoadBalancerSchema,
    admin: AdminSchema,
    testDouble: TestDoubleSchema,
    egressWatch: Type.Optional(EgressWatchSchema),
    containers: ContainersSchema,
    existing: Type.Optional(ExistingSchema),
    kubernetes: Type.Optional(KubernetesSchema),
  },
  { description: 'An mmdrill environment: the Mattermost stack a drill runs against.' },
);

/** The file as validated, with every default filled in. */
export type EnvironmentFile = Static<typeof EnvironmentSchema>;
export type ContainersSettings = Static<typeof ContainersSchema>;
export type ExistingSettings = Static<typeof ExistingSchema>;

type Shared = Omit<EnvironmentFile, 'provider' | 'containers' | 'existing'>;
export type NativeEnvironment = Shared & { provider: 'native' };
export type ContainersEnvironment = Shared & { provider: 'containers'; containers: ContainersSettings };
/** mmdrill starts nothing here, so the settings that shape a stack it starts are absent. */
export type ExistingEnvironment = Omit<
  Shared,
  'appNodes' | 'proxies' | 'ports' | 'loadBalancer' | 'testDouble'
> & {
  provider: 'existing';
  existing: ExistingSettings;
};
/** A loaded environment: narrow on `provider` to reach the provider's own settings. */
export type Environment = NativeEnvironment | ContainersEnvironment | ExistingEnvironment;

/**
 * The links a stack of `env` puts behind Toxiproxy: those listed under `proxies`, or with `all`
 * every link; either way only links whose far end the stack has (a replica, the object store,
 * coturn on the native stack). The providers create these proxies and the fault targets name them.
 */
export function proxiedLinks(env: NativeEnvironment | ContainersEnvironment): LinkName[] {
  const exists = (link: LinkName) =>
    (link !== 'app-db-replica' || env.database.replica) &&
    (link !== 'app-object-store' || env.objectStore.enabled) &&
    (link !== 'users-turn' || (env.provider === 'native' && env.calls.enabled && env.calls.turn));
  const chosen = env.proxies === 'all' ? [...LINKS] : env.proxies;
  return chosen.filter(exists);
}
