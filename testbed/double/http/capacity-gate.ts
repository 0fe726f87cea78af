import type { CapacityLimitConfig } from '../config.js';

/**
 * A deliberately capped app tier, for testing capacity searches (`--capacity-limit C:S`): every
 * API request first holds one of `concurrency` slots for `serviceMs` (a fixed artificial service
 * time), waiting its turn in FIFO order when all slots are busy; the handler then runs as usual.
 * A node therefore serves at most C / S requests per second, whatever else it does, and with N
 * users looping back to back through it a request takes N·S / C: a capacity known in advance.
 */
export class CapacityGate {
  private busy = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly config: CapacityLimitConfig) {}

  /** Resolves once the request has had its slot for the service time. */
  async pass(): Promise<void> {
    if (this.busy >= this.config.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.busy += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, this.config.serviceMs));
    } finally {
      // Hand the slot straight to the next in line (busy stays the same), or free it.
      const next = this.queue.shift();
      if (next) next();
      else this.busy -= 1;
    }
  }

  /** Requests waiting for a slot right now. */
  get waiting(): number {
    return this.queue.length;
  }
}
