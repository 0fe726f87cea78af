// Mattermost's capacity criteria (docs/reference-architectures.md), evaluated once a
// second by the capacity search: what each one reads, its default limit, and the check itself.
// Pure: the observation comes from the run's 1-s interval and the app nodes' metrics.
import { CRITERION_IDS, type CriterionId } from '../summary/capacity-schema.js';

export type CriterionUnit = 'share' | 'ms';

export interface CriterionInfo {
  check: string;
  unit: CriterionUnit;
  /** The reference limit: a breach is a value at or above it. */
  limit: number;
}

export const REFERENCE_CRITERIA: Readonly<Record<CriterionId, CriterionInfo>> = {
  'client-5xx': { check: 'client-side 5xx responses (share of requests)', unit: 'share', limit: 0.00025 },
  'client-timeouts': { check: 'client timeouts (share of requests)', unit: 'share', limit: 0.00025 },
  'avg-latency': { check: 'average client request latency', unit: 'ms', limit: 100 },
  'p99-latency': { check: 'p99 client request latency', unit: 'ms', limit: 2000 },
  'server-5xx': { check: 'server 5xx responses on the app nodes (share)', unit: 'share', limit: 0.00025 },
  'app-cpu': { check: 'app node CPU (busiest node, share of its cores)', unit: 'share', limit: 0.85 },
  'app-memory': { check: 'app node memory (largest node, share of its memory)', unit: 'share', limit: 0.85 },
};

/** One criterion as a run uses it. */
export interface Criterion extends CriterionInfo {
  id: CriterionId;
}

/** Per-criterion overrides: a new limit, or false to leave the criterion out. */
export type CriteriaOverrides = Partial<Record<CriterionId, number | false>>;

export function isCriterionId(id: string): id is CriterionId {
  return (CRITERION_IDS as readonly string[]).includes(id);
}

/** The reference set with the scenario's overrides applied, in the reference order. */
export function resolveCriteria(overrides: CriteriaOverrides = {}): Criterion[] {
  const out: Criterion[] = [];
  for (const id of CRITERION_IDS) {
    const override = overrides[id];
    if (override === false) continue;
    out.push({ id, ...REFERENCE_CRITERIA[id], ...(override !== undefined && { limit: override }) });
  }
  return out;
}

/** One second as the criteria see it; null = nothing to judge (no requests, no metrics). */
export type Observation = Readonly<Record<CriterionId, number | null>>;

export interface Reading {
  id: CriterionId;
  value: number | null;
  limit: number;
  breached: boolean;
}

/** Every criterion against one second; a null value is never a breach. */
export function evaluateCriteria(criteria: readonly Criterion[], observation: Observation): Reading[] {
  return criteria.map((c) => {
    const value = observation[c.id];
    return { id: c.id, value, limit: c.limit, breached: value !== null && value >= c.limit };
  });
}

/** `avg-latency 143 ms ≥ 100 ms`, `client-5xx 0.41 % ≥ 0.025 %`. */
export function describeReading(reading: Pick<Reading, 'id' | 'value' | 'limit'>): string {
  const unit = REFERENCE_CRITERIA[reading.id].unit;
  const show = (v: number) => (unit === 'ms' ? `${Math.round(v)} ms` : `${round(v * 100, 3)} %`);
  const op = reading.value !== null && reading.value >= reading.limit ? '≥' : '<';
  return `${reading.id} ${reading.value === null ? 'n/a' : show(reading.value)} ${op} ${show(reading.limit)}`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
