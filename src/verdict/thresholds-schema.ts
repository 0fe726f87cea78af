import { type Static, Type } from '@sinclair/typebox';
import { Duration } from '../config/duration.js';
import { ClosedObject } from '../config/schema-builders.js';

// The `thresholds:` mapping as written in scenario files, in k6's shape:
//   thresholds:
//     http_req_duration: ['p(99)<2000', 'avg<100']
//     'http_req_duration{action:create_post}':
//       - { threshold: 'p(99)<1000', abortOnFail: true, delayAbortEval: 10s }
// The schema checks the shape; parseThresholds() checks the metric names and expressions.

export const ThresholdObjectSchema = ClosedObject(
  {
    threshold: Type.String({ description: "A k6 threshold expression, e.g. 'p(99)<2000' or 'rate<0.01'." }),
    abortOnFail: Type.Optional(
      Type.Boolean({ description: 'Stop the run as soon as this threshold fails (checked every second).' }),
    ),
    delayAbortEval: Type.Optional(
      Duration({ description: 'How long after the start abortOnFail waits before it first checks.' }),
    ),
  },
  { description: 'A threshold with options.' },
);

export const ThresholdsSchema = Type.Record(
  Type.String(),
  Type.Array(Type.Union([Type.String({ description: "e.g. 'p(99)<2000'" }), ThresholdObjectSchema]), {
    minItems: 1,
  }),
  {
    description:
      'k6 thresholds: metric name, optionally with a tag filter (`http_req_duration{action:create_post}`), ' +
      'to a list of expressions (`avg|min|max|med|count|rate|value|p(N)` `<|<=|>|>=|==|!=` number).',
  },
);

export type ThresholdObject = Static<typeof ThresholdObjectSchema>;
export type ThresholdsConfig = Static<typeof ThresholdsSchema>;
