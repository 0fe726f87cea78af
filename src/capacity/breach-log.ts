import type { CapacityBreach, CapacityReport, CriterionId } from '../summary/capacity-schema.js';
import type { Criterion, Reading } from '../verdict/capacity-criteria.js';

// Everything the capacity search saw, second by second, for the summary: each criterion's
// breaches, worst value and evaluated seconds, the breaches themselves (the first 1000), and the
// users over time.

const MAX_BREACHES = 1000;

interface CriterionTally {
  breaches: number;
  evaluated: number;
  worst: number | null;
}

export class BreachLog {
  readonly breaches: CapacityBreach[] = [];
  private count = 0;
  private peak = 0;
  private readonly tallies = new Map<CriterionId, CriterionTally>();

  constructor(private readonly criteria: readonly Criterion[]) {
    for (const c of criteria) this.tallies.set(c.id, { breaches: 0, evaluated: 0, worst: null });
  }

  /** Records one second; returns the ids breached in it. */
  record(elapsedS: number, users: number, readings: readonly Reading[]): CriterionId[] {
    this.peak = Math.max(this.peak, users);
    const breached: CriterionId[] = [];
    for (const r of readings) {
      const tally = this.tallies.get(r.id)!;
      if (r.value === null) continue;
      tally.evaluated += 1;
      tally.worst = tally.worst === null ? r.value : Math.max(tally.worst, r.value);
      if (!r.breached) continue;
      tally.breaches += 1;
      breached.push(r.id);
      this.count += 1;
      if (this.breaches.length < MAX_BREACHES)
        this.breaches.push({
          elapsedS: round(elapsedS, 3),
          criterion: r.id,
          value: round(r.value, 6),
          limit: r.limit,
          users,
        });
    }
    return breached;
  }

  get breachCount(): number {
    return this.count;
  }

  get peakUsers(): number {
    return this.peak;
  }

  criteriaReport(): CapacityReport['criteria'] {
    return this.criteria.map((c) => {
      const t = this.tallies.get(c.id)!;
      return {
        id: c.id,
        check: c.check,
        unit: c.unit,
        limit: c.limit,
        breaches: t.breaches,
        evaluatedSeconds: t.evaluated,
        worst: t.worst === null ? null : round(t.worst, 6),
      };
    });
  }

  /** The criterion breached in the most seconds (ties: the reference order); null without breaches. */
  limitingCriterion(): CriterionId | null {
    let best: { id: CriterionId; n: number } | null = null;
    for (const c of this.criteria) {
      const n = this.tallies.get(c.id)!.breaches;
      if (n > 0 && (best === null || n > best.n)) best = { id: c.id, n };
    }
    return best?.id ?? null;
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
