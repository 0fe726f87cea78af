import type { FaultCriteria } from './fault-criteria.js';
import type { SecondObservation } from './fault-observations.js';

// When did the users' experience come back? From a given moment, the first span of seconds that
// stays healthy (error rate at or under the threshold, p99 within the latency limit) for the
// sustain time; the recovery is the start of that span.

/** Heartbeat intervals are ~1 s each but not exact: a span this much short of sustain still counts. */
const SUSTAIN_TOLERANCE_MS = 50;

export type SecondHealth = 'healthy' | 'unhealthy' | 'idle';

/**
 * A second with no completed request says nothing either way ('idle'): it neither breaks a
 * healthy span nor, alone, makes one.
 */
export function healthOf(
  second: SecondObservation,
  criteria: Pick<FaultCriteria, 'errorRate'>,
  p99LimitMs: number | null,
): SecondHealth {
  if (second.requests === 0 || second.errorRate === null) return 'idle';
  if (second.errorRate > criteria.errorRate) return 'unhealthy';
  if (p99LimitMs !== null && second.p99Ms !== null && second.p99Ms > p99LimitMs) return 'unhealthy';
  return 'healthy';
}

/** The p99 a healthy second stays within, or null without a baseline (latency not judged). */
export function p99Limit(
  baselineP99Ms: number | null,
  criteria: Pick<FaultCriteria, 'latencyFactor' | 'latencyFloorMs'>,
): number | null {
  if (baselineP99Ms === null) return null;
  return Math.max(baselineP99Ms * criteria.latencyFactor, criteria.latencyFloorMs);
}

export interface Recovery {
  /** Epoch ms the healthy span began (never before `from`); null: no such span before the run ended. */
  recoveredAt: number | null;
  /** Why not, when recoveredAt is null. */
  detail: string;
}

/** The first sustained healthy span among the seconds ending after `from` (epoch ms). */
export function findRecovery(
  seconds: readonly SecondObservation[],
  from: number,
  criteria: Pick<FaultCriteria, 'errorRate' | 'sustainMs'>,
  p99LimitMs: number | null,
): Recovery {
  let spanStart: number | null = null;
  let evidence = false;
  let lastUnhealthy: SecondObservation | null = null;
  for (const second of seconds) {
    if (second.endedAt <= from) continue;
    const health = healthOf(second, criteria, p99LimitMs);
    if (health === 'unhealthy') {
      spanStart = null;
      evidence = false;
      lastUnhealthy = second;
      continue;
    }
    spanStart ??= second.startedAt;
    if (health === 'healthy') evidence = true;
    if (evidence && second.endedAt - spanStart >= criteria.sustainMs - SUSTAIN_TOLERANCE_MS) {
      return { recoveredAt: Math.max(from, spanStart), detail: '' };
    }
  }
  if (lastUnhealthy === null && spanStart === null)
    return { recoveredAt: null, detail: 'no load was observed after it' };
  if (spanStart !== null && evidence) {
    const heldMs = (seconds.at(-1)?.endedAt ?? spanStart) - spanStart;
    return {
      recoveredAt: null,
      detail: `healthy for the last ${formatSeconds(heldMs)} only, less than the ${formatSeconds(criteria.sustainMs)} required`,
    };
  }
  if (lastUnhealthy !== null)
    return { recoveredAt: null, detail: `still unhealthy at ${describe(lastUnhealthy, p99LimitMs)}` };
  return { recoveredAt: null, detail: 'no request completed after it' };
}

function describe(second: SecondObservation, p99LimitMs: number | null): string {
  const rate = `${((second.errorRate ?? 0) * 100).toFixed(1)} % errors`;
  const p99 =
    second.p99Ms !== null && p99LimitMs !== null && second.p99Ms > p99LimitMs
      ? `, p99 ${Math.round(second.p99Ms)} ms > ${Math.round(p99LimitMs)} ms`
      : '';
  return `${new Date(second.endedAt).toISOString()} (${rate}${p99})`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
