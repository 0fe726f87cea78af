import { Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import { toxicKind } from './toxic-kind.js';

/** Connections are reset (TCP RST) after `timeout`: "connection reset by peer". */
export const resetPeer = toxicKind({
  name: 'reset_peer',
  description: 'Resets connections on the link (TCP RST) after timeout.',
  toxicType: 'reset_peer',
  fields: {
    timeout: Type.Optional(
      Duration({
        description: 'Reset each connection this long after it opened (or the toxic was added). Default: 0.',
      }),
    ),
  },
  attributes: (entry) => ({ timeout: parseDuration(entry.timeout ?? 0) }),
});
