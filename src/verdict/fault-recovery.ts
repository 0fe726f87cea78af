import type { FaultCriteria } from './fault-criteria.js';
import { percentileOf } from './fault-latency-sketch.js';
import type { SecondObservation } from './fault-observations.js';

// When did the users' experience come back? From a given moment, the first span of seconds that
// stays healthy for the sustain time: every second's error rate at or under the threshold, and
// the p99 of all the span's requests within the latency limit. The recovery is the span's start.
// The p99 is the span's, not each second's: at a few dozen requests a second, a second's p99 is
// its slowest request, and one scheduling hiccup on a busy host would restart the clock.

/** Heartbeat intervals are ~1 s each but not exact: a span this much short of sustain still counts. */
const SUSTAIN_TOLERANCE_MS = 50;

export type SecondHealth = 'healthy' | 'unhealthy' | 'idle';

/**
 * A second's errors: over the threshold is 'unhealthy'. A second with no completed request says
 * nothing either way ('idle'): it neither breaks a healthy span nor, alone, makes one.
 */
export function healthOf(
  second: SecondObservation,
  criteria: Pick<FaultCriteria, 'errorRate'>,
): SecondHealth {
  if (second.requests === 0 || second.errorRate === null) return 'idle';
  return second.errorRate > criteria.errorRate ? 'unhealthy' : 'healthy';
}

/** The p99 a healthy span stays within, or null without a baseline (latency not judged). */
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
  const after = seconds.filter((s) => s.endedAt > from);
  const health = after.map((s) => healthOf(s, criteria));
  let lastUnhealthy: SecondObservation | null = null;
  let slowSpan: { first: SecondObservation; p99Ms: number } | null = null;
  let heldMs = 0;
  let first = 0;
  while (first < after.length) {
    if (health[first] === 'unhealthy') {
      lastUnhealthy = after[first]!;
      first += 1;
      continue;
    }
    // Grow the span from `first` until it lasts the sustain time or meets an unhealthy second.
    const spanStart = after[first]!.startedAt;
    let last = first;
    let evidence = health[first] === 'healthy';
    while (after[last]!.endedAt - spanStart < criteria.sustainMs - SUSTAIN_TOLERANCE_MS) {
      if (last + 1 >= after.length || health[last + 1] === 'unhealthy') break;
      last += 1;
      if (health[last] === 'healthy') evidence = true;
    }
    const long = after[last]!.endedAt - spanStart >= criteria.sustainMs - SUSTAIN_TOLERANCE_MS;
    if (!long) {
      // Cut short by an unhealthy second (start again after it) or by the end of the run.
      if (last + 1 >= after.length) {
        const p99Ms = evidence ? spanP99(after.slice(first, last + 1), p99LimitMs) : null;
        if (p99Ms !== null && p99Ms > p99LimitMs!) slowSpan = { first: after[first]!, p99Ms };
        else if (evidence) heldMs = after[last]!.endedAt - spanStart;
        break;
      }
      first = last + 1;
      continue;
    }
    if (evidence) {
      const p99Ms = spanP99(after.slice(first, last + 1), p99LimitMs);
      if (p99Ms === null || p99Ms <= p99LimitMs!)
        return { recoveredAt: Math.max(from, spanStart), detail: '' };
      slowSpan = { first: after[first]!, p99Ms };
    }
    first += 1; // slide: the next second may start a span without the slow one
  }
  if (lastUnhealthy === null && slowSpan === null && heldMs === 0 && !health.includes('healthy'))
    return {
      recoveredAt: null,
      detail: after.length === 0 ? 'no load was observed after it' : 'no request completed after it',
    };
  if (heldMs > 0) {
    return {
      recoveredAt: null,
      detail: `healthy for the last ${formatSeconds(heldMs)} only, less than the ${formatSeconds(criteria.sustainMs)} required`,
    };
  }
  if (
    slowSpan !== null &&
    p99LimitMs !== null &&
    (lastUnhealthy === null || slowSpan.first.startedAt > lastUnhealthy.startedAt)
  )
    return {
      recoveredAt: null,
      detail: `still slow: p99 ${Math.round(slowSpan.p99Ms)} ms > ${Math.round(p99LimitMs)} ms in the seconds from ${new Date(slowSpan.first.startedAt).toISOString()}`,
    };
  if (lastUnhealthy !== null)
    return { recoveredAt: null, detail: `still unhealthy at ${describe(lastUnhealthy)}` };
  return { recoveredAt: null, detail: 'no request completed after it' };
}

/** The p99 of a span's requests, when latency is judged at all. */
function spanP99(span: readonly SecondObservation[], p99LimitMs: number | null): number | null {
  return p99LimitMs === null
    ? null
    : percentileOf(
        span.map((s) => s.latency),
        99,
      );
}

function describe(second: SecondObservation): string {
  return `${new Date(second.endedAt).toISOString()} (${((second.errorRate ?? 0) * 100).toFixed(1)} % errors)`;
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
