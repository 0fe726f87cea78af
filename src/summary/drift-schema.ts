import { type Static, Type } from '@sinclair/typebox';

// summary.json's `drift` block: per-window trends of a long run with their fitted lines and the
// drift thresholds' results. Kept apart from summary-schema.ts so the soak work stays in one place.

const Closed = { additionalProperties: false } as const;
const NumberOrNull = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });

export const DriftSeriesSchema = Type.Object(
  {
    name: Type.String({ description: 'Series name; thresholds use it with _slope or _change.' }),
    label: Type.String(),
    unit: Type.Union(
      [Type.Literal('bytes'), Type.Literal('ms'), Type.Literal('ratio'), Type.Literal('count')],
      { description: 'Unit of the values (ratio: a share from 0 to 1).' },
    ),
    status: Type.Union([Type.Literal('measured'), Type.Literal('unknown')], {
      description: 'unknown: the run could not measure it (see note); never judged as a pass or fail.',
    }),
    note: Type.Optional(Type.String()),
    points: Type.Array(
      Type.Object(
        {
          tS: Type.Number({ description: 'Seconds from the load start to the middle of the window.' }),
          value: Type.Number(),
        },
        Closed,
      ),
      { description: 'One value per window after the warm-up.' },
    ),
    slopePerMin: NumberOrNull('Least-squares slope, in the unit per minute; null with fewer than 2 points.'),
    intercept: NumberOrNull('The fitted line at t = 0 (x in minutes).'),
    first: NumberOrNull('Value of the first window.'),
    last: NumberOrNull('Value of the last window.'),
    change: NumberOrNull('(last − first) / |first|; null when first is 0 or missing.'),
  },
  Closed,
);

export const DriftThresholdResultSchema = Type.Object(
  {
    metric: Type.String({ description: '<series>_slope or <series>_change.' }),
    expression: Type.String({ description: "As written: 'value<1MB/min'." }),
    ok: Type.Boolean(),
    value: NumberOrNull(
      'Slope in the base unit (B, ms, share, count) per minute, or change as a fraction; null: not measured.',
    ),
    note: Type.Optional(Type.String()),
  },
  Closed,
);

export const DriftReportSchema = Type.Object(
  {
    windowS: Type.Number({ minimum: 0, description: 'Length of one window (s).' }),
    warmupS: Type.Number({ minimum: 0, description: 'Start of the load left out (s).' }),
    windows: Type.Integer({ minimum: 0, description: 'Windows recorded after the warm-up.' }),
    series: Type.Array(DriftSeriesSchema),
    thresholds: Type.Array(DriftThresholdResultSchema),
    ok: Type.Boolean({ description: 'Every drift threshold passed.' }),
    reason: Type.String({ description: 'One sentence saying why.' }),
  },
  { ...Closed, description: 'Trends over a long run (the scenario’s `drift` section).' },
);

export type DriftReport = Static<typeof DriftReportSchema>;
export type DriftSeriesReport = Static<typeof DriftSeriesSchema>;
export type DriftThresholdReport = Static<typeof DriftThresholdResultSchema>;
