import { IntervalSnapshot } from '../metrics/interval.js';
import {
  type Criterion,
  evaluateCriteria,
  type Observation,
  type Reading,
} from '../verdict/capacity-criteria.js';
import type { AppNodeReading } from './app-node-metrics.js';
import type { Decision } from './feedback-loop.js';
import { observe } from './observation.js';

// Bounded mode (`mmdrill capacity --users N`): ramp to N users a step per rest period, hold them
// for the hold time, and judge the criteria over the whole hold (client side from the merged
// seconds, server side from the mean of the per-second readings): did N users fit?

export interface HoldOutcome {
  users: number;
  /** Every criterion under its limit over the hold. */
  held: boolean;
  /** Seconds actually held (less if interrupted). */
  heldS: number;
  readings: Reading[];
}

export class BoundedHold {
  private target = 0;
  private lastChangeS = Number.NEGATIVE_INFINITY;
  private holdStartS: number | null = null;
  private aggregate: IntervalSnapshot | null = null;
  private lastS = 0;
  private readonly server = {
    cpu: { sum: 0, n: 0 },
    memory: { sum: 0, n: 0 },
    server5xx: { sum: 0, n: 0 },
  };
  private breachSeen: number | null = null;

  constructor(
    private readonly settings: { step: number; restMs: number; criteria: readonly Criterion[] },
    private readonly bounded: { users: number; holdMs: number },
  ) {}

  get firstBreachS(): number | null {
    return this.breachSeen;
  }

  next(
    t: number,
    active: number,
    interval: IntervalSnapshot,
    nodes: AppNodeReading,
    harnessSaturated: boolean,
  ): Decision {
    this.lastS = t;
    const { users, holdMs } = this.bounded;
    if (this.holdStartS === null) {
      if (active >= users) this.holdStartS = t;
      else if (t - this.lastChangeS >= this.settings.restMs / 1000 && this.target < users) {
        this.target = Math.min(users, this.target + this.settings.step);
        this.lastChangeS = t;
        return { kind: 'add', target: this.target };
      }
      return { kind: 'hold', target: this.target };
    }
    if (!harnessSaturated) {
      this.aggregate =
        this.aggregate === null ? interval : IntervalSnapshot.merge([this.aggregate, interval]);
      for (const key of ['cpu', 'memory', 'server5xx'] as const) {
        const v = nodes[key];
        if (v !== null) {
          this.server[key].sum += v;
          this.server[key].n += 1;
        }
      }
      if (this.breachSeen === null && this.outcome().readings.some((r) => r.breached)) this.breachSeen = t;
    }
    if (t - this.holdStartS >= holdMs / 1000) return { kind: 'stop', target: this.target, reason: 'settled' };
    return { kind: 'hold', target: this.target };
  }

  outcome(): HoldOutcome {
    const heldS = this.holdStartS === null ? 0 : Math.max(0, this.lastS - this.holdStartS);
    if (this.aggregate === null) return { users: this.bounded.users, held: false, heldS, readings: [] };
    const mean = (k: 'cpu' | 'memory' | 'server5xx') =>
      this.server[k].n === 0 ? null : this.server[k].sum / this.server[k].n;
    const base = observe(this.aggregate, { cpu: null, memory: null, server5xx: null, source: 'none' });
    const observation: Observation = {
      ...base,
      'app-cpu': mean('cpu'),
      'app-memory': mean('memory'),
      'server-5xx': mean('server5xx'),
    };
    const readings = evaluateCriteria(this.settings.criteria, observation);
    return { users: this.bounded.users, held: !readings.some((r) => r.breached), heldS, readings };
  }
}
