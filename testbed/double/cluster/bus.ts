import type { Logger } from '../log.js';
import type { DoubleMetrics } from '../metrics.js';
import type { WsEvent } from '../model/types.js';

// Placeholder: implemented in the cluster work.
export class ClusterBus {
  constructor(
    readonly url: string,
    readonly nodeId: string,
    readonly metrics: DoubleMetrics,
    readonly log: Logger,
  ) {}
  async start(_onEvent: (event: WsEvent) => void): Promise<void> {}
  send(_event: WsEvent): void {}
  async close(): Promise<void> {}
}
