import { Type } from '@sinclair/typebox';
import { toxicKind } from './toxic-kind.js';

/** Throughput capped at `rate` KB/s (1 KB/s ≈ 8 kbit/s); TCP only. */
export const bandwidth = toxicKind({
  name: 'bandwidth',
  description: 'Limits throughput to rate KB/s on the link (Toxiproxy bandwidth toxic).',
  toxicType: 'bandwidth',
  fields: {
    rate: Type.Integer({ minimum: 1, description: 'Throughput in KB/s (1 KB/s ≈ 8 kbit/s).' }),
  },
  attributes: (entry) => ({ rate: entry.rate }),
});
