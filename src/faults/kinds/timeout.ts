import { Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import { toxicKind } from './toxic-kind.js';

/** Data stops flowing (a black hole); connections close after `timeout`, or never with 0. */
export const timeout = toxicKind({
  name: 'timeout',
  description: 'Stops all data on the link; connections are closed after timeout (0: held open).',
  toxicType: 'timeout',
  fields: {
    timeout: Type.Optional(
      Duration({
        description: 'Close each connection this long after the data stopped; 0 keeps it open. Default: 0.',
      }),
    ),
  },
  attributes: (entry) => ({ timeout: parseDuration(entry.timeout ?? 0) }),
});
