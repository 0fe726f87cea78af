import { type Static, Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../config/duration.js';
import { ClosedObject } from '../config/schema-builders.js';
import { METRIC } from '../metrics/api.js';
import { DERIVED_METRIC } from '../metrics/catalogue.js';
import type { Tick, TickListener } from '../metrics/heartbeat.js';
import type { SteadyStateCheck, SteadyStatePhase } from '../summary/steady-state-schema.js';
import type { FaultVerdict } from '../summary/summary-schema.js';
import { type LatencySketch, percentileOf, sketchOfTrend } from './fault-latency-sketch.js';

// A drill's steady-state hypothesis: outside the faults the deployment meets the reference
// architecture's criteria (5xx and timeouts under 0.025 % of requests, average under 100 ms, p99
// under 2 s). Judged over the load before the first fault and after the last fault's recovery,
// and reported as their own verdict rows beside the per-fault ones.

export const SteadyStateSchema = ClosedObject(
  {
    errorRate: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.00025,
      description: 'Largest share of requests answered 5xx or timed out (0.00025 = 0.025 %).',
    }),
    avgMs: Type.Number({
      exclusiveMinimum: 0,
      default: 100,
      description: 'Largest average HTTP latency (ms).',
    }),
    p99Ms: Type.Number({ exclusiveMinimum: 0, default: 2000, description: 'Largest p99 HTTP latency (ms).' }),
    skip: Duration({
      default: '5s',
      description: 'Start of the load left out of the before-faults phase (the login burst).',
    }),
    enabled: Type.Boolean({ default: true, description: 'false: no steady-state rows.' }),
  },
  {
    default: {},
    description:
      "The steady-state hypothesis, judged before the first fault and after the last recovery (default: the reference architecture's criteria).",
  },
);

export type SteadyStateCriteria = Static<typeof SteadyStateSchema>;

interface SteadySecond {
  startedAt: number;
  endedAt: number;
  requests: number;
  failures: number;
  durationSum: number;
  latency: LatencySketch | null;
}

/** Keeps per second what the steady-state checks need (a few hundred bytes a second). */
export class SteadyStateObserver {
  private readonly seconds: SteadySecond[] = [];

  readonly listener: TickListener = (tick: Tick) => {
    const { interval } = tick;
    if (tick.final && interval.endedAt <= interval.startedAt) return;
    const fivexx = interval.sink(DERIVED_METRIC.httpReq5xx);
    const timeouts = interval.sink(DERIVED_METRIC.timeoutRate);
    const duration = interval.sink(METRIC.httpReqDuration);
    const count = duration?.type === 'trend' ? duration.count : 0;
    this.seconds.push({
      startedAt: interval.startedAt,
      endedAt: interval.endedAt,
      requests: fivexx?.type === 'rate' ? fivexx.count : count,
      failures:
        (fivexx?.type === 'rate' ? fivexx.passes : 0) + (timeouts?.type === 'rate' ? timeouts.passes : 0),
      durationSum: duration?.type === 'trend' && count > 0 ? duration.avg * count : 0,
      latency: duration?.type === 'trend' ? sketchOfTrend(duration) : null,
    });
  };

  /** Judges both phases against the faults' windows and recoveries. */
  judge(criteria: SteadyStateCriteria, faults: readonly FaultVerdict[]): SteadyStatePhase[] {
    if (!criteria.enabled || this.seconds.length === 0) return [];
    const loadStart = this.seconds[0]!.startedAt;
    const loadEnd = this.seconds.at(-1)!.endedAt;
    const firstFault = Math.min(...faults.map((f) => Date.parse(f.startedAt)));
    const lastRecovered = Math.max(
      ...faults.map((f) => {
        const from = Date.parse(f.recoveryFrom === 'start' ? f.startedAt : f.endedAt);
        return Math.max(Date.parse(f.endedAt), from + (f.recoveryMs ?? f.maxRecoveryMs));
      }),
    );
    const beforeEnd = faults.length === 0 ? loadEnd : firstFault;
    const phases: SteadyStatePhase[] = [
      this.phase('before-faults', loadStart + parseDuration(criteria.skip), beforeEnd, criteria),
    ];
    if (faults.length > 0) phases.push(this.phase('after-recovery', lastRecovered, loadEnd, criteria));
    return phases;
  }

  private phase(
    name: SteadyStatePhase['phase'],
    from: number,
    to: number,
    criteria: SteadyStateCriteria,
  ): SteadyStatePhase {
    // Whole seconds inside the span: a second straddling a fault's start belongs to the fault.
    const inside = this.seconds.filter((s) => s.startedAt >= from - 50 && s.endedAt <= to + 50);
    const requests = inside.reduce((a, s) => a + s.requests, 0);
    const failures = inside.reduce((a, s) => a + s.failures, 0);
    const samples = inside.reduce((a, s) => a + (s.latency?.count ?? 0), 0);
    const avg = samples > 0 ? inside.reduce((a, s) => a + s.durationSum, 0) / samples : null;
    const p99 = percentileOf(
      inside.map((s) => s.latency),
      99,
    );
    const check = (criterion: SteadyStateCheck['criterion'], limit: number, value: number | null) => ({
      criterion,
      limit,
      value: value === null ? null : Number(value.toPrecision(6)),
      ok: value === null || value < limit,
    });
    const errors = errorBudget(failures, requests, criteria.errorRate);
    const checks = [
      { ...check('errorRate', criteria.errorRate, requests > 0 ? failures / requests : null), ok: errors.ok },
      check('avgMs', criteria.avgMs, avg),
      check('p99Ms', criteria.p99Ms, p99),
    ];
    const failed = checks.filter((c) => !c.ok);
    const seconds = Math.max(0, Math.round((to - from) / 1000));
    const reason =
      requests === 0
        ? `no requests in the ${seconds} s ${name === 'before-faults' ? 'before the first fault' : 'after the last recovery'}: not judged`
        : failed.length === 0
          ? `steady over ${seconds} s: ${describe(checks, errors)}`
          : `not steady over ${seconds} s: ${describe(failed, errors)}`;
    return {
      phase: name,
      startedAt: new Date(from).toISOString(),
      endedAt: new Date(Math.max(from, to)).toISOString(),
      requests,
      checks,
      ok: failed.length === 0,
      reason,
    };
  }
}

/**
 * Failures the error-rate limit allows over `requests`: the limit's share, rounded up. A phase of
 * 20 s holds about 2,000 requests, and one failure in them is 0.05 %: a 0.025 % rate cannot be told
 * from 0 on so few, so one failure is allowed there and two are not. On long phases the rounding
 * no longer matters and the check is the plain rate.
 */
export function errorBudget(
  failures: number,
  requests: number,
  limit: number,
): { failures: number; allowed: number; ok: boolean } {
  const allowed = requests > 0 ? Math.ceil(limit * requests - 1e-9) : 0;
  return { failures, allowed, ok: requests === 0 || failures <= allowed };
}

function describe(
  checks: readonly SteadyStateCheck[],
  errors: { failures: number; allowed: number },
): string {
  return checks
    .map((c) =>
      c.criterion === 'errorRate'
        ? `5xx+timeouts ${formatPct(c.value)} (limit ${formatPct(c.limit)}: ${errors.failures} failed, ${errors.allowed} allowed)`
        : `${c.criterion === 'avgMs' ? 'avg' : 'p99'} ${c.value === null ? '–' : Math.round(c.value)} ms (limit ${c.limit} ms)`,
    )
    .join(', ');
}

function formatPct(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(3)} %`;
}

/** The verdict's failure sentences (empty when steady). */
export function steadyStateFailures(phases: readonly SteadyStatePhase[]): string[] {
  return phases.filter((p) => !p.ok).map((p) => `steady state ${p.phase}: ${p.reason}`);
}
