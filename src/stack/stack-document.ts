import { type Static, Type } from '@sinclair/typebox';
import { LINKS, PROVIDERS } from './environment.js';

// What `mmdrill stack up --json` prints and the state file holds: a stable contract that users'
// scripts rely on. Published as schemas/stack.schema.json. Never contains a secret.

const ComponentKind = Type.Union(
  [
    'load-balancer',
    'app',
    'database',
    'database-replica',
    'object-store',
    'toxiproxy',
    'media-server',
    'turn',
    'push-proxy',
    'egress-sink',
  ].map((k) => Type.Literal(k)),
  { description: 'What the component is.' },
);

export const StackComponentSchema = Type.Object(
  {
    name: Type.String({ description: 'Unique name, e.g. app-1, postgres-primary, nginx.' }),
    kind: ComponentKind,
    url: Type.Optional(Type.String({ description: 'Where it answers (direct, not through Toxiproxy).' })),
    pid: Type.Optional(Type.Integer({ description: 'Process id (native provider).' })),
    containerId: Type.Optional(Type.String({ description: 'Container id (containers provider).' })),
    log: Type.Optional(Type.String({ description: "Path of the component's log file." })),
  },
  { additionalProperties: false },
);

export const StackProxySchema = Type.Object(
  {
    name: Type.String({ description: 'Toxiproxy proxy name.' }),
    link: Type.Union(
      LINKS.map((l) => Type.Literal(l)),
      { description: 'The topology link this proxy carries.' },
    ),
    listen: Type.String({ description: 'host:port the proxy listens on (what the downstream side dials).' }),
    upstream: Type.String({ description: 'host:port the proxy forwards to.' }),
  },
  { additionalProperties: false },
);

export const StackDocumentSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Version of this document format.' }),
    name: Type.String({ description: "The environment's name." }),
    provider: Type.Union(
      PROVIDERS.map((p) => Type.Literal(p)),
      { description: 'Which provider started the stack.' },
    ),
    runDir: Type.String({ description: 'Run directory holding logs and data.' }),
    startedAt: Type.String({ description: 'ISO 8601 time the stack came up.' }),
    url: Type.String({ description: "The users' entry URL (through the users→LB proxy when it exists)." }),
    toxiproxy: Type.Union([Type.String(), Type.Null()], {
      description: 'Toxiproxy API URL, or null without one.',
    }),
    admin: Type.Object(
      {
        username: Type.String(),
        passwordEnv: Type.String({ description: 'Environment variable holding the admin password.' }),
      },
      { additionalProperties: false },
    ),
    appNodes: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          url: Type.String({ description: 'Direct URL of the node (bypassing the load balancer).' }),
          metricsUrl: Type.Optional(Type.String({ description: 'Prometheus /metrics URL.' })),
        },
        { additionalProperties: false },
      ),
    ),
    proxies: Type.Array(StackProxySchema),
    components: Type.Array(StackComponentSchema),
    egress: Type.Optional(
      Type.Object(
        {
          table: Type.String({
            description: 'The nftables table (inet family) that blocks and records outside connections.',
          }),
          attemptsFile: Type.String({
            description: 'NDJSON file the DNS sink and its traps append attempts to.',
          }),
          dnsServer: Type.String({ description: 'host:port of the DNS sink the app tier resolves through.' }),
          components: Type.Record(Type.String(), Type.String(), {
            description: 'uid → component name: each app node runs under its own uid.',
          }),
          failOnFinding: Type.Boolean({ description: 'Whether a finding fails a run against this stack.' }),
        },
        { additionalProperties: false, description: 'The egress watch of a native stack (docs/egress.md).' },
      ),
    ),
  },
  { additionalProperties: false },
);

export type StackDocument = Static<typeof StackDocumentSchema>;
export type StackComponent = Static<typeof StackComponentSchema>;
export type StackProxy = Static<typeof StackProxySchema>;
