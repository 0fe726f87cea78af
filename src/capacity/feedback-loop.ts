import { loopSettingsProblem, type SearchSteps } from '../load/capacity-section.js';
import { SettleWindow } from './settle.js';

// The capacity search's decisions, one per second (Mattermost's feedback loop): on any breach
// remove a step of users; otherwise, once `rest` has passed since the last change, add a step (up
// to the maximum). After the first breach the active-user count is sampled; the search stops when
// that count has settled. Pure: the caller feeds the clock, the breaches and the harness state.

export interface LoopSettings extends SearchSteps {
  /** Largest |slope| (users/s) that counts as settled. Default 0.2. */
  slopeLimit?: number;
  /** Seconds the search may run in all. Default: no limit. */
  maxDurationS?: number;
  /**
   * The search ends as harness-bound when the harness was saturated in `harnessSeconds` (default
   * 5) of the last `harnessWindowS` (default 10) seconds: one stall is noise, half the time is not.
   */
  harnessSeconds?: number;
  harnessWindowS?: number;
}

export interface SecondInput {
  /** Seconds since the search started. */
  t: number;
  /** Criteria breached in the last second (ids). */
  breaches: readonly string[];
  /** The harness itself was saturated in the last second. */
  harnessSaturated: boolean;
  /** Users actually active (looping) now. */
  activeUsers: number;
}

export type StopReason = 'settled' | 'max-users' | 'harness-bound' | 'max-duration';

export type Decision =
  | { kind: 'add' | 'remove' | 'hold'; target: number }
  | { kind: 'stop'; target: number; reason: StopReason };

export interface LoopOutcome {
  reason: StopReason;
  /** Mean active users over the settle window (null: no window). */
  supportedUsers: number | null;
  /** When the search settled (s), if it did. */
  settledAtS: number | null;
  /** Users when the harness saturated, if it did first. */
  harnessBoundAt: number | null;
  slope: number | null;
}

export class FeedbackLoop {
  private target = 0;
  private lastChangeS = Number.NEGATIVE_INFINITY;
  private firstBreachS: number | null = null;
  private atMaxSinceS: number | null = null;
  /** The last seconds' harness state: the users when it was saturated, null when it was not. */
  private harnessRecent: (number | null)[] = [];
  private readonly settle: SettleWindow;
  private readonly harnessSeconds: number;
  private readonly harnessWindowS: number;
  private result: LoopOutcome | null = null;

  constructor(private readonly settings: LoopSettings) {
    const problem = loopSettingsProblem(settings);
    if (problem !== undefined) throw new RangeError(problem);
    this.settle = new SettleWindow(settings.settleS, settings.slopeLimit ?? 0.2);
    this.harnessSeconds = settings.harnessSeconds ?? 5;
    this.harnessWindowS = settings.harnessWindowS ?? 10;
  }

  /** The users the loop wants active now. */
  get targetUsers(): number {
    return this.target;
  }

  get firstBreachAtS(): number | null {
    return this.firstBreachS;
  }

  /** Set once the loop has stopped. */
  get outcome(): LoopOutcome | null {
    return this.result;
  }

  next(input: SecondInput): Decision {
    if (this.result !== null) return { kind: 'stop', target: this.target, reason: this.result.reason };
    const { stepUsers, restS, maxUsers, settleS } = this.settings;
    // A saturated harness measures itself, not the server: no decision on its numbers.
    this.harnessRecent.push(input.harnessSaturated ? input.activeUsers : null);
    if (this.harnessRecent.length > this.harnessWindowS) this.harnessRecent.shift();
    const saturated = this.harnessRecent.filter((u): u is number => u !== null);
    if (saturated.length >= this.harnessSeconds) return this.stop('harness-bound', input.t, saturated[0]!);
    if (input.harnessSaturated) return { kind: 'hold', target: this.target };

    let kind: Decision['kind'] = 'hold';
    if (input.breaches.length > 0) {
      this.firstBreachS ??= input.t;
      this.target = Math.max(0, this.target - stepUsers);
      this.lastChangeS = input.t;
      this.atMaxSinceS = null;
      kind = 'remove';
    } else if (input.t - this.lastChangeS >= restS && this.target < maxUsers) {
      this.target = Math.min(maxUsers, this.target + stepUsers);
      this.lastChangeS = input.t;
      kind = 'add';
    }
    if (this.target >= maxUsers && input.activeUsers >= maxUsers) this.atMaxSinceS ??= input.t;

    if (this.firstBreachS !== null) {
      this.settle.add(input.t, input.activeUsers);
      if (this.settle.state().settled) return this.stop('settled', input.t, null);
    }
    // Never breached and held at the maximum for a whole window: it supports at least the maximum.
    if (this.atMaxSinceS !== null && input.t - this.atMaxSinceS >= settleS && this.firstBreachS === null)
      return this.stop('max-users', input.t, null);
    if (this.settings.maxDurationS !== undefined && input.t >= this.settings.maxDurationS)
      return this.stop('max-duration', input.t, null);
    return { kind, target: this.target };
  }

  private stop(reason: StopReason, t: number, harnessBoundAt: number | null): Decision {
    const state = this.settle.state();
    this.result = {
      reason,
      supportedUsers:
        reason === 'max-users'
          ? this.settings.maxUsers
          : reason === 'harness-bound' || state.mean === null
            ? null
            : Math.round(state.mean * 10) / 10,
      settledAtS: reason === 'settled' ? t : null,
      harnessBoundAt,
      slope: state.samples > 1 ? Math.round(state.slope * 1000) / 1000 : null,
    };
    return { kind: 'stop', target: this.target, reason };
  }
}
