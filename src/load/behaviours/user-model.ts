import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type Random, seededRandom } from '../../common/seeded-random.js';
import { ActionMix } from '../../mattermost/actions/action-mix.js';
import { type MixName, USER_ACTIONS, type UserActionName } from '../../mattermost/actions/catalogue.js';
import { getStatuses } from '../../mattermost/actions/get-statuses.js';
import { sendClientMetrics } from '../../mattermost/actions/send-client-metrics.js';
import type { DeliverySummary, DeliveryTracker } from '../../mattermost/delivery.js';
import type { SimulatedUser } from '../../mattermost/simulated-user.js';
import { METRIC } from '../../metrics/api.js';
import type { Behaviour, Iteration } from '../types.js';
import { SimulatedUsers, type SimulatedUsersOptions } from './simulated-users.js';
import {
  DEFAULT_IDLE,
  DEFAULT_RATES,
  type IdleTime,
  idleTimeMs,
  type RateClass,
  rateOf,
} from './user-pace.js';

// The Mattermost user model: each VU is a logged-in user with a live WebSocket who does one
// action per iteration, drawn from the production action mix, then (closed model) idles as long
// as its rate says. Every 60 s it also fetches statuses, as the web app does.

export interface UserModelOptions extends SimulatedUsersOptions {
  /** The named mix to draw from (default production). */
  base?: MixName;
  /** Weights replacing the base mix's, by action name (0 removes an action). */
  weights?: Partial<Record<UserActionName, number>>;
  /** Only these actions; absent: every action with a weight. */
  only?: readonly UserActionName[];
  /** Idle time between actions in the closed model. Default min 1 s, avg 20 s. */
  idle?: IdleTime;
  /** Per-user idle multipliers and their shares. Default Mattermost's (5 % at 1 … 30 % at 30). */
  rates?: readonly RateClass[];
  /** How often each user fetches statuses (and sends client metrics). Default 60 s; 0 turns it off. */
  statusIntervalMs?: number;
  /** Send the client metrics report with each status fetch (default: with the loadtest-ng mix). */
  clientMetrics?: boolean;
  /**
   * Closed model: each user's first action waits a random part of an idle time, as if the users
   * had logged in at different moments (default true). Without it, every VU of a constant-vus
   * scenario acts in the same instant, a burst no real population produces.
   */
  staggerStart?: boolean;
}

interface VuState {
  user: SimulatedUser;
  /** Draws the next action: a stream of its own, so the sequence does not depend on answers. */
  mixRng: Random;
  idleRng: Random;
  rate: number;
  statusTimer: NodeJS.Timeout | null;
  started: boolean;
}

export class UserModel implements Behaviour {
  private readonly users: SimulatedUsers;
  private readonly mix: ActionMix;
  private readonly idle: IdleTime;
  private readonly rates: readonly RateClass[];
  private readonly rateOffset: number;
  private readonly statusIntervalMs: number;
  private readonly staggerStart: boolean;
  private readonly clientMetrics: boolean;
  private readonly vus = new Map<number, VuState>();
  private readonly closing = new AbortController();
  /** Adds the logged-in users to `mm_user_seconds` every second (requests per user-hour). */
  private readonly userClock: NodeJS.Timeout;

  constructor(options: UserModelOptions) {
    this.users = new SimulatedUsers(options);
    this.mix = new ActionMix({
      ...(options.base && { base: options.base }),
      ...(options.weights && { weights: options.weights }),
      ...(options.only && { only: options.only }),
      fileUploads: options.fileUploads ?? false,
    });
    this.idle = options.idle ?? DEFAULT_IDLE;
    this.rates = options.rates ?? DEFAULT_RATES;
    this.rateOffset = seededRandom(`${this.users.seed}:rates`).next();
    this.statusIntervalMs = options.statusIntervalMs ?? 60_000;
    this.staggerStart = options.staggerStart ?? true;
    this.clientMetrics = options.clientMetrics ?? options.base === 'loadtest-ng';
    // Every user's status fetch listens to it while in flight.
    setMaxListeners(0, this.closing.signal);
    const userSeconds = options.metrics.counter(METRIC.userSeconds);
    this.userClock = setInterval(() => {
      if (this.vus.size > 0) userSeconds.add(this.vus.size);
    }, 1_000);
    this.userClock.unref();
  }

  /** The share of draws each action gets (after weights, allow-list and object store). */
  mixShares(): Record<string, number> {
    return this.mix.shares();
  }

  async initVu(vu: number, signal: AbortSignal): Promise<void> {
    const user = await this.users.add(vu, signal, true);
    const seed = this.users.seed;
    const state: VuState = {
      user,
      mixRng: seededRandom(`${seed}:${vu}:mix`),
      idleRng: seededRandom(`${seed}:${vu}:idle`),
      rate: rateOf(vu, this.rates, this.rateOffset),
      statusTimer: null,
      started: false,
    };
    if (this.statusIntervalMs > 0) {
      // Spread the users' status fetches over the interval instead of all at once.
      const first = state.idleRng.next() * this.statusIntervalMs;
      state.statusTimer = setTimeout(() => {
        state.statusTimer = setInterval(() => void this.fetchStatuses(user), this.statusIntervalMs);
        state.statusTimer.unref();
        void this.fetchStatuses(user);
      }, first);
      state.statusTimer.unref();
    }
    this.vus.set(vu, state);
  }

  async iterate(iteration: Iteration, signal: AbortSignal): Promise<void> {
    const state = this.vus.get(iteration.vu);
    if (!state) throw new Error(`VU ${iteration.vu} was not initialised`);
    let startedAt = iteration.intendedStart;
    if (!state.started) {
      state.started = true;
      if (!iteration.openModel && this.staggerStart) {
        await sleep(state.idleRng.next() * idleTimeMs(state.idleRng, this.idle, state.rate), signal);
        if (signal.aborted) return;
        startedAt = performance.now();
      }
    }
    const name = this.mix.pick(state.mixRng);
    const error = await this.users.run(state.user, USER_ACTIONS[name], signal, startedAt);
    // Closed model: think time even after a failure, or a failing server gets hammered.
    if (!iteration.openModel && !signal.aborted) {
      await sleep(idleTimeMs(state.idleRng, this.idle, state.rate), signal);
    }
    if (error !== null && !signal.aborted) throw error;
  }

  /** Drains deliveries (final refetch pass included) and closes every session. */
  async close(): Promise<void> {
    this.closing.abort();
    clearInterval(this.userClock);
    for (const state of this.vus.values()) if (state.statusTimer) clearTimeout(state.statusTimer);
    await this.users.close();
    this.vus.clear();
  }

  /** Post → `posted` delivery of this scenario's users; final once close() resolved. */
  deliverySummary(): DeliverySummary {
    return this.users.delivery.summary();
  }

  /** Every (post, member) never delivered, for the audits; final once close() resolved. */
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

  /** The rate (idle multiplier) of VU `vu`. */
  rateOf(vu: number): number {
    return rateOf(vu, this.rates, this.rateOffset);
  }

  /** The 60 s ticker of load-test-ng's simulcontroller: statuses, then the client metrics report. */
  private async fetchStatuses(user: SimulatedUser): Promise<void> {
    await this.users.run(user, getStatuses, this.closing.signal, performance.now());
    if (this.clientMetrics)
      await this.users.run(user, sendClientMetrics, this.closing.signal, performance.now());
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
