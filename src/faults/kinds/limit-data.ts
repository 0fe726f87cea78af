import { Type } from '@sinclair/typebox';
import { toxicKind } from './toxic-kind.js';

/** Each connection is closed once `bytes` have passed (a link that drops long transfers). */
export const limitData = toxicKind({
  name: 'limit_data',
  description: 'Closes each connection on the link once bytes have passed.',
  toxicType: 'limit_data',
  fields: {
    bytes: Type.Integer({ minimum: 0, description: 'Bytes a connection may carry before it is closed.' }),
  },
  attributes: (entry) => ({ bytes: entry.bytes }),
});
