import { Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import { toxicKind } from './toxic-kind.js';

/** Data is cut into small packets with a pause between them (a fragmenting, stuttering link). */
export const slicer = toxicKind({
  name: 'slicer',
  description: 'Slices data into small packets of averageSize ± sizeVariation bytes, delay apart.',
  toxicType: 'slicer',
  fields: {
    averageSize: Type.Integer({ minimum: 1, description: 'Average packet size in bytes.' }),
    sizeVariation: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Variation of the size in bytes (less than averageSize). Default: 0.',
      }),
    ),
    delay: Type.Optional(Duration({ description: 'Pause between packets, e.g. 10ms. Default: 0.' })),
  },
  validate: (entry) =>
    (entry.sizeVariation ?? 0) >= entry.averageSize
      ? [
          {
            path: ['sizeVariation'],
            message: `sizeVariation (${entry.sizeVariation}) must be less than averageSize (${entry.averageSize})`,
          },
        ]
      : [],
  attributes: (entry) => ({
    average_size: entry.averageSize,
    size_variation: entry.sizeVariation ?? 0,
    // Toxiproxy takes the slicer's delay in microseconds.
    delay: parseDuration(entry.delay ?? 0) * 1000,
  }),
});
