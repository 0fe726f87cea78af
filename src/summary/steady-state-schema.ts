import { type Static, Type } from '@sinclair/typebox';

// summary.json's `steadyState`: a drill's hypothesis (Chaos-Toolkit style) judged before the first
// fault and after the last recovery, so a deployment that is slow outside the faults fails.

const Closed = { additionalProperties: false } as const;
const NumberOrNull = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const SteadyStateCheckSchema = Type.Object(
  {
    criterion: Type.Union([Type.Literal('errorRate'), Type.Literal('avgMs'), Type.Literal('p99Ms')], {
      description: 'errorRate: share of requests answered 5xx or timed out; avgMs, p99Ms: http_req_duration.',
    }),
    limit: Type.Number({
      description:
        "The value must stay under this. errorRate allows the limit's share of the requests rounded up (one failure in 2,000 requests passes a 0.025 % limit, two do not).",
    }),
    value: NumberOrNull('Measured in the phase; null without requests (not judged).'),
    ok: Type.Boolean(),
  },
  Closed,
);

export const SteadyStatePhaseSchema = Type.Object(
  {
    phase: Type.Union([Type.Literal('before-faults'), Type.Literal('after-recovery')]),
    startedAt: Type.String({ description: 'ISO 8601.' }),
    endedAt: Type.String({ description: 'ISO 8601.' }),
    requests: Type.Integer({ minimum: 0 }),
    checks: Type.Array(SteadyStateCheckSchema),
    ok: Type.Boolean(),
    reason: Type.String({ description: 'One sentence saying why.' }),
  },
  { ...Closed, description: 'One phase of the steady-state hypothesis and its verdict.' },
);

export const SteadyStateReportSchema = Type.Array(SteadyStatePhaseSchema, {
  description: "A drill's steady state, judged before the first fault and after the last recovery.",
});

export type SteadyStatePhase = Static<typeof SteadyStatePhaseSchema>;
export type SteadyStateCheck = Static<typeof SteadyStateCheckSchema>;
