import type { IncomingMessage, ServerResponse } from 'node:http';

// Two deliberately unsafe behaviours that only a soak catches, to show that mmdrill's drift
// verdict does: `leak-memory` keeps 32 KiB of every HTTP request forever (resident memory grows
// with the load, as a cache without eviction would), and `creeping-latency` delays every answer
// by 1 ms per 2 s the node has been up (a backlog that grows, a table that is scanned).

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const LEAK_PER_REQUEST = 32 * 1024;
const CREEP_MS_PER_S = 0.5;

/** Wraps the node's request handler with the drift modes it was started with (none: unchanged). */
export function withDriftModes(handler: Handler, modes: ReadonlySet<string>): Handler {
  const leak = modes.has('leak-memory');
  const creep = modes.has('creeping-latency');
  if (!leak && !creep) return handler;
  const retained: Buffer[] = [];
  const startedAt = performance.now();
  return (req, res) => {
    // Filled, so the pages are resident rather than merely reserved.
    if (leak) retained.push(Buffer.alloc(LEAK_PER_REQUEST, retained.length % 251));
    if (!creep) return handler(req, res);
    const delayMs = ((performance.now() - startedAt) / 1000) * CREEP_MS_PER_S;
    setTimeout(() => handler(req, res), delayMs);
  };
}
