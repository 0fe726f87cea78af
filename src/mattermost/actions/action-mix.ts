import type { Random } from '../../common/seeded-random.js';
import { type MixName, NAMED_MIXES, USER_ACTION_NAMES, type UserActionName } from './catalogue.js';

// Which action a user does next: a weighted draw over the action mix.

export interface MixOptions {
  /** The base mix (default production). */
  base?: MixName;
  /** Weights replacing the base mix's, by action name (0 removes an action). */
  weights?: Partial<Record<UserActionName, number>>;
  /** Only these actions (after weights); absent: all. */
  only?: readonly UserActionName[];
  /** The environment has an object store; without one `upload_file` is left out. */
  fileUploads?: boolean;
}

export class ActionMix {
  private readonly names: UserActionName[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(options: MixOptions = {}) {
    const allowed = options.only ? new Set(options.only) : null;
    let sum = 0;
    for (const name of USER_ACTION_NAMES) {
      const weight = options.weights?.[name] ?? NAMED_MIXES[options.base ?? 'production'][name] ?? 0;
      if (!(weight > 0)) continue;
      if (allowed && !allowed.has(name)) continue;
      if (name === 'upload_file' && !options.fileUploads) continue;
      sum += weight;
      this.names.push(name);
      this.cumulative.push(sum);
    }
    if (this.names.length === 0)
      throw new RangeError('the action mix is empty: give at least one action a weight > 0');
    this.total = sum;
  }

  /** The actions that can be drawn, with their share of draws. */
  shares(): Record<string, number> {
    const out: Record<string, number> = {};
    let previous = 0;
    this.names.forEach((name, i) => {
      out[name] = (this.cumulative[i]! - previous) / this.total;
      previous = this.cumulative[i]!;
    });
    return out;
  }

  pick(rng: Random): UserActionName {
    const x = rng.next() * this.total;
    // Binary search for the first cumulative weight above x.
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.names[lo]!;
  }
}
