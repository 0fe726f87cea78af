import { performance } from 'node:perf_hooks';
import { LOOP_ACTIONS, type LoopActionName } from '../../mattermost/actions/catalogue.js';
import type { DeliverySummary, DeliveryTracker } from '../../mattermost/delivery.js';
import type { Behaviour, Iteration } from '../types.js';
import { SimulatedUsers, type SimulatedUsersOptions } from './simulated-users.js';

// A fixed loop of actions, one pass per iteration (`[ping]`, `[create_post, get_posts]`…), for
// accuracy tests and benchmarks where the request mix must be known exactly. Users log in (and
// hold a WebSocket, so posts still get delivery figures) only when some action needs it.

export interface ActionLoopOptions extends SimulatedUsersOptions {
  loop: readonly LoopActionName[];
}

export class ActionLoop implements Behaviour {
  private readonly users: SimulatedUsers;
  private readonly login: boolean;

  constructor(private readonly options: ActionLoopOptions) {
    if (options.loop.length === 0) throw new RangeError('the action loop is empty');
    for (const name of options.loop) {
      if (!Object.hasOwn(LOOP_ACTIONS, name)) throw new RangeError(`unknown action "${name}" in the loop`);
    }
    this.login = options.loop.some((name) => LOOP_ACTIONS[name].needsLogin);
    // A loop iterates back to back: keeping each user's REST client saves creating one per pass.
    this.users = new SimulatedUsers({ keepClients: true, ...options });
  }

  async initVu(vu: number, signal: AbortSignal): Promise<void> {
    await this.users.add(vu, signal, this.login);
  }

  /**
   * One pass of the loop. The first action's duration counts from the intended start (open
   * model: no coordinated omission); each later one from its own start. Stops at the first
   * failure and rejects with it.
   */
  async iterate(iteration: Iteration, signal: AbortSignal): Promise<void> {
    const user = this.users.get(iteration.vu);
    let startedAt = iteration.intendedStart;
    for (const name of this.options.loop) {
      if (signal.aborted) return;
      const error = await this.users.run(user, LOOP_ACTIONS[name], signal, startedAt);
      if (error !== null) {
        if (signal.aborted) return;
        throw error;
      }
      startedAt = performance.now();
    }
  }

  async close(): Promise<void> {
    await this.users.close();
  }

  deliverySummary(): DeliverySummary {
    return this.users.delivery.summary();
  }

  missedDeliveries() {
    return this.users.delivery.missed();
  }

  /** Every post the server acknowledged to this scenario's users, for the loss audit. */
  acknowledgedPosts(): readonly string[] {
    return this.users.acknowledgedPosts();
  }

  /** The tracker itself: several scenarios' figures combine with combinedSummary(). */
  get deliveryTracker(): DeliveryTracker {
    return this.users.delivery;
  }
}
