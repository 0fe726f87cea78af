import { Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import { toxicKind } from './toxic-kind.js';

/** Every chunk of data waits `latency` ± `jitter` (per direction: `both` doubles the round trip). */
export const latency = toxicKind({
  name: 'latency',
  description: 'Delays data by latency ± jitter on the link (Toxiproxy latency toxic).',
  toxicType: 'latency',
  fields: {
    latency: Duration({ description: 'Delay added to data in each chosen direction, e.g. 300ms.' }),
    jitter: Type.Optional(Duration({ description: 'Random variation of the delay, ±. Default: 0.' })),
  },
  attributes: (entry) => ({
    latency: parseDuration(entry.latency),
    jitter: parseDuration(entry.jitter ?? 0),
  }),
});
