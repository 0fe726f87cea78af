// When the capacity search has settled: after the first breach the active-user count is sampled
// every second; once the samples span the settle window and their least-squares slope is below
// the limit (0.2 users/s in Mattermost's search), the supported figure is their mean.

export interface Point {
  /** Seconds. */
  t: number;
  users: number;
}

/** Slope of the least-squares line through the points (users per second); 0 for < 2 distinct times. */
export function leastSquaresSlope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sumT = 0;
  let sumU = 0;
  for (const p of points) {
    sumT += p.t;
    sumU += p.users;
  }
  const meanT = sumT / n;
  const meanU = sumU / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.users - meanU);
    den += (p.t - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export interface SettleState {
  /** The window is full and |slope| is below the limit. */
  settled: boolean;
  /** The samples span the whole window. */
  full: boolean;
  slope: number;
  /** Mean active users over the window; null without samples. */
  mean: number | null;
  samples: number;
}

export class SettleWindow {
  private points: Point[] = [];
  private first: number | undefined;

  constructor(
    /** Seconds. */
    readonly windowS: number,
    readonly slopeLimit = 0.2,
  ) {
    if (!(windowS > 0)) throw new RangeError('the settle window must be longer than 0 s');
  }

  add(t: number, users: number): void {
    this.first ??= t;
    this.points.push({ t, users });
    const from = t - this.windowS;
    while (this.points.length > 0 && this.points[0]!.t < from) this.points.shift();
  }

  state(): SettleState {
    const last = this.points.at(-1);
    const full = last !== undefined && this.first !== undefined && last.t - this.first >= this.windowS;
    const slope = leastSquaresSlope(this.points);
    const mean =
      this.points.length === 0 ? null : this.points.reduce((sum, p) => sum + p.users, 0) / this.points.length;
    return {
      settled: full && Math.abs(slope) < this.slopeLimit,
      full,
      slope,
      mean,
      samples: this.points.length,
    };
  }
}
