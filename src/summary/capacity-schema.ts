import { type Static, Type } from '@sinclair/typebox';

// summary.json's `capacity` block (part of schemas/summary.schema.json): what `mmdrill capacity`
// found. Add fields as optional; never rename or remove one.

/** Mattermost's capacity criteria, named in the summary; `verdict/capacity-criteria.ts` judges them. */
export const CRITERION_IDS = [
  'client-5xx',
  'client-timeouts',
  'avg-latency',
  'p99-latency',
  'server-5xx',
  'app-cpu',
  'app-memory',
] as const;
export type CriterionId = (typeof CRITERION_IDS)[number];

const Closed = { additionalProperties: false } as const;
const CriterionIdSchema = Type.Union(
  CRITERION_IDS.map((id) => Type.Literal(id)),
  { description: 'A capacity criterion.' },
);

export const CapacityBreachSchema = Type.Object(
  {
    elapsedS: Type.Number({
      description: 'Seconds since the load started, at the end of the breached second.',
    }),
    criterion: CriterionIdSchema,
    value: Type.Number({ description: 'The measured value (ms, or a share 0..1).' }),
    limit: Type.Number(),
    users: Type.Integer({ minimum: 0, description: 'Active users in that second.' }),
  },
  { ...Closed, description: 'One criterion breached in one second.' },
);

export const CapacityCriterionSchema = Type.Object(
  {
    id: CriterionIdSchema,
    check: Type.String(),
    unit: Type.Union([Type.Literal('share'), Type.Literal('ms')]),
    limit: Type.Number({ description: 'Breached at or above this value.' }),
    breaches: Type.Integer({ minimum: 0, description: 'Seconds in which it was breached.' }),
    evaluatedSeconds: Type.Integer({
      minimum: 0,
      description: 'Seconds with a value to judge (0: never measured).',
    }),
    worst: Type.Union([Type.Number(), Type.Null()], {
      description: 'Highest value seen; null if never measured.',
    }),
  },
  Closed,
);

export const CapacityReportSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('search'), Type.Literal('bounded')], {
      description: 'search: the feedback loop; bounded: N users held (--users).',
    }),
    outcome: Type.Union(
      ['settled', 'max-users', 'harness-bound', 'max-duration', 'interrupted', 'held', 'not-held'].map((o) =>
        Type.Literal(o),
      ),
      { description: 'How the run ended.' },
    ),
    supportedUsers: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
      description:
        'Mean active users over the settle window (search); the held users if the criteria held (bounded); null: no figure.',
    }),
    atLeast: Type.Optional(
      Type.Boolean({ description: 'The maximum was reached without a breach: a lower bound.' }),
    ),
    settledAt: Type.Union([Type.String(), Type.Null()], {
      description: 'ISO 8601 time the search settled; null if not.',
    }),
    settle: Type.Object(
      {
        windowS: Type.Number({ minimum: 0 }),
        slope: Type.Union([Type.Number(), Type.Null()], {
          description: 'Least-squares slope over the window (users/s).',
        }),
        slopeLimit: Type.Number(),
      },
      Closed,
    ),
    settings: Type.Object(
      {
        step: Type.Integer({ minimum: 1 }),
        restS: Type.Number({ minimum: 0 }),
        maxUsers: Type.Integer({ minimum: 1 }),
        users: Type.Optional(Type.Integer({ minimum: 1, description: 'Bounded mode: users held.' })),
      },
      Closed,
    ),
    firstBreachS: Type.Union([Type.Number(), Type.Null()], {
      description: 'Seconds since the start of the first breach.',
    }),
    peakUsers: Type.Integer({ minimum: 0 }),
    breachCount: Type.Integer({ minimum: 0, description: 'Breached (second, criterion) pairs in all.' }),
    breaches: Type.Array(CapacityBreachSchema, { description: 'The breaches, oldest first (at most 1000).' }),
    criteria: Type.Array(CapacityCriterionSchema),
    limitingCriterion: Type.Union([CriterionIdSchema, Type.Null()], {
      description: 'The criterion breached most often; null without breaches.',
    }),
    serverMetrics: Type.Union([Type.Literal('metrics'), Type.Literal('proc'), Type.Literal('none')], {
      description:
        "Where the app nodes' CPU, memory and 5xx came from (none: those criteria were not measured).",
    }),
    harnessBound: Type.Optional(
      Type.Object(
        {
          users: Type.Integer({ minimum: 0 }),
          reason: Type.String(),
        },
        {
          ...Closed,
          description: 'The harness saturated before the server breached: the figure is the harness’s.',
        },
      ),
    ),
    recommendation: Type.Object(
      {
        targetUsers: Type.Number({ minimum: 0 }),
        targetGiven: Type.Boolean(),
        tier: Type.Union([
          Type.Object(
            {
              users: Type.Integer(),
              appNodes: Type.String(),
              dbWriter: Type.String(),
              dbReaders: Type.Integer(),
              searchNodes: Type.String(),
              proxy: Type.String(),
            },
            Closed,
          ),
          Type.Null(),
        ]),
        headroom: Type.Union([Type.Number(), Type.Null()], {
          description: 'Supported users over the target, minus 1 (0.15 = 15 % headroom).',
        }),
        text: Type.String({ description: 'The recommendation in words: guidance, not a promise.' }),
      },
      { ...Closed, description: 'The smallest published reference architecture covering the target.' },
    ),
  },
  { ...Closed, description: 'Capacity search result (`mmdrill capacity`).' },
);

export type CapacityReport = Static<typeof CapacityReportSchema>;
export type CapacityBreach = Static<typeof CapacityBreachSchema>;
