import { type Static, Type } from '@sinclair/typebox';

// The JSON the generated script's handleSummary writes (to a file, and to stdout between two
// marker lines so that `kubectl logs` of a k6-operator runner carries it), and
// `mmdrill report --from-k6` reads back: k6's own summary data (metrics with their values and
// threshold results) wrapped with what mmdrill needs to name the run and judge it.

export const SUMMARY_FORMAT = 'mmdrill-k6-summary';
export const SUMMARY_BEGIN_MARK = '----- mmdrill k6 summary begin -----';
export const SUMMARY_END_MARK = '----- mmdrill k6 summary end -----';

const K6MetricSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal('trend'),
      Type.Literal('counter'),
      Type.Literal('rate'),
      Type.Literal('gauge'),
    ]),
    contains: Type.Optional(Type.String()),
    values: Type.Record(Type.String(), Type.Number(), {
      description:
        "k6's values: trend avg/min/med/max/p(N)/count, counter count/rate, rate rate/passes/fails, gauge value/min/max.",
    }),
    thresholds: Type.Optional(Type.Record(Type.String(), Type.Object({ ok: Type.Boolean() }))),
  },
  { additionalProperties: true },
);

export const ExportedThresholdSchema = Type.Object(
  {
    metric: Type.String(),
    expression: Type.String(),
    abortOnFail: Type.Optional(Type.Boolean()),
    source: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const K6SummaryDocumentSchema = Type.Object(
  {
    format: Type.Literal(SUMMARY_FORMAT),
    version: Type.Literal(1),
    scenario: Type.Object(
      { name: Type.String(), file: Type.String(), scenarios: Type.Array(Type.String()) },
      { additionalProperties: false },
    ),
    environment: Type.Object({ name: Type.String(), url: Type.String() }, { additionalProperties: false }),
    thresholds: Type.Array(ExportedThresholdSchema),
    skippedThresholds: Type.Array(
      Type.Object({ metric: Type.String(), expression: Type.String(), reason: Type.String() }),
    ),
    startedAt: Type.String(),
    endedAt: Type.String(),
    durationMs: Type.Number({ minimum: 0 }),
    metrics: Type.Record(Type.String(), K6MetricSchema),
  },
  { additionalProperties: true },
);

export type K6Metric = Static<typeof K6MetricSchema>;
export type K6SummaryDocument = Static<typeof K6SummaryDocumentSchema>;
