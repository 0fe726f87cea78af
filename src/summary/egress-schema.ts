import { type Static, Type } from '@sinclair/typebox';

// summary.json's `egress`: what the app tier tried to reach outside the stack during the run
// (issue 16). The native stack's egress watch records three kinds of attempt: a DNS query for an
// outside name (answered with a loopback trap), a connection to such a trap, and a connection to
// an outside address that the kernel rule blocked before any packet left loopback.

const Closed = { additionalProperties: false } as const;

export const EgressFindingSchema = Type.Object(
  {
    at: Type.String({ description: 'ISO 8601 time of the attempt (blocked connections: to the second).' }),
    kind: Type.Union(
      [Type.Literal('dns-query'), Type.Literal('trap-connection'), Type.Literal('blocked-connection')],
      {
        description:
          'dns-query: an outside name asked of the stack DNS sink; trap-connection: a connection to the loopback trap address the sink answered with; blocked-connection: a connection to an outside address, rejected by the kernel rule.',
      },
    ),
    component: Type.String({ description: 'Which process tried: an app node (app-1, …), or "unknown".' }),
    name: Type.Optional(Type.String({ description: 'The outside name (dns-query, trap-connection).' })),
    address: Type.Optional(Type.String({ description: 'Destination address (trap or outside).' })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'Destination port.' })),
    protocol: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp')])),
  },
  Closed,
);

export const EgressReportSchema = Type.Object(
  {
    watched: Type.Boolean({
      description: 'Whether the stack had an egress watch (native: egressWatch.enabled).',
    }),
    failOnFinding: Type.Boolean({
      description: 'Whether a finding fails the run (egressWatch.failOnFinding).',
    }),
    findings: Type.Array(EgressFindingSchema, { description: 'Attempts during the run, oldest first.' }),
    note: Type.Optional(Type.String({ description: 'What the watch could not see, if anything.' })),
  },
  {
    ...Closed,
    description:
      "Outbound connection attempts of the app tier to anything outside the stack (docs/egress.md). Loopback and the stack's own components are not findings.",
  },
);

export type EgressFinding = Static<typeof EgressFindingSchema>;
export type EgressReport = Static<typeof EgressReportSchema>;
