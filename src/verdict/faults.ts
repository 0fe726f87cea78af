import type { FaultWindow } from '../faults/types.js';
import type { FaultVerdict } from '../summary/summary-schema.js';
import { describeCalls, judgeCalls } from './fault-calls.js';
import { DEFAULT_FAULT_CRITERIA, type FaultCriteria } from './fault-criteria.js';
import { maxOf, percentileOf } from './fault-latency-sketch.js';
import type { SecondObservation } from './fault-observations.js';
import { findRecovery, formatSeconds, p99Limit } from './fault-recovery.js';

// One verdict per fault window, from the per-second observations of the run: what the users saw
// during the fault (time to first error, error rate, p99), how long until they were served well
// again (recovery), how many failures it cost (error budget), and how the WebSockets came back.

/** The part of a fault window (as the scheduler records it) a verdict needs. */
export type JudgedFaultWindow = Pick<
  FaultWindow,
  'name' | 'kind' | 'target' | 'startedAt' | 'endedAt' | 'recoveryFrom'
> &
  Partial<Pick<FaultWindow, 'interrupted' | 'error'>>;

export type JudgeOptions = Partial<Omit<FaultCriteria, 'errorBudget'>> & {
  errorBudget?: Partial<FaultCriteria['errorBudget']>;
};

function criteriaOf(options: JudgeOptions): FaultCriteria {
  return {
    ...DEFAULT_FAULT_CRITERIA,
    ...options,
    errorBudget: { ...DEFAULT_FAULT_CRITERIA.errorBudget, ...options.errorBudget },
  };
}

function epochOf(time: string): number {
  const ms = new Date(time).getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid fault time ${JSON.stringify(time)}`);
  return ms;
}

/** Seconds overlapping [from, to) (epoch ms). */
function overlapping(seconds: readonly SecondObservation[], from: number, to: number): SecondObservation[] {
  return seconds.filter((s) => s.endedAt > from && s.startedAt < to);
}

/**
 * The baseline: the seconds before the first fault, minus the warm-up at the start of the run
 * (all of them if the warm-up would leave none).
 */
export function baselineSeconds(
  seconds: readonly SecondObservation[],
  firstFaultAt: number,
  warmUpMs: number,
): SecondObservation[] {
  const before = seconds.filter((s) => s.endedAt <= firstFaultAt);
  const runStart = seconds[0]?.startedAt ?? firstFaultAt;
  const settled = before.filter((s) => s.startedAt >= runStart + warmUpMs);
  return settled.length > 0 ? settled : before;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** A verdict per window, in the order the faults started. */
export function judgeFaults(
  windows: readonly JudgedFaultWindow[],
  observations: readonly SecondObservation[],
  options: JudgeOptions = {},
): FaultVerdict[] {
  if (windows.length === 0) return [];
  const criteria = criteriaOf(options);
  const firstFaultAt = Math.min(...windows.map((w) => epochOf(w.startedAt)));
  const baseline = baselineSeconds(observations, firstFaultAt, criteria.warmUpMs);
  const baselineP99Ms = percentileOf(
    baseline.map((s) => s.latency),
    99,
  );
  const limit = p99Limit(baselineP99Ms, criteria);
  const runEnd = observations.at(-1)?.endedAt ?? firstFaultAt;
  const byStart = [...windows].sort((a, b) => epochOf(a.startedAt) - epochOf(b.startedAt));
  return byStart.map((window) => judgeOne(window, observations, { criteria, baselineP99Ms, limit, runEnd }));
}

interface Context {
  criteria: FaultCriteria;
  baselineP99Ms: number | null;
  limit: number | null;
  runEnd: number;
}

function judgeOne(
  window: JudgedFaultWindow,
  seconds: readonly SecondObservation[],
  { criteria, baselineP99Ms, limit, runEnd }: Context,
): FaultVerdict {
  const start = epochOf(window.startedAt);
  // A fault cut short by the end of the run has no end the users lived through.
  const end = window.interrupted ? null : epochOf(window.endedAt);
  const inWindow = overlapping(seconds, start, end ?? runEnd);
  const requestsInWindow = sum(inWindow, (s) => s.requests);
  const errorsInWindow = sum(inWindow, (s) => s.errors);

  const recoveryFrom = window.recoveryFrom === 'start' ? start : end;
  const recovery =
    recoveryFrom === null
      ? { recoveredAt: null, detail: 'the run ended during the fault' }
      : findRecovery(seconds, recoveryFrom, criteria, limit);
  const recoveryMs =
    recovery.recoveredAt === null || recoveryFrom === null
      ? null
      : round(recovery.recoveredAt - recoveryFrom);

  // The cost of the fault: everything from its start until the users were served well again.
  const spanEnd = Math.max(end ?? runEnd, recovery.recoveredAt ?? runEnd);
  const span = overlapping(seconds, start, spanEnd);
  const failedRequests = sum(span, (s) => s.errors);
  const spanRequests = sum(span, (s) => s.requests);
  const allowed = Math.max(criteria.errorBudget.failedRequests, criteria.errorBudget.share * spanRequests);
  const errorBudgetSpent = allowed > 0 ? failedRequests / allowed : failedRequests === 0 ? 0 : null;
  const withinBudget = failedRequests <= allowed;

  const firstError = span.find((s) => s.errors > 0);
  // WebSockets come back after HTTP does (retry back-off): follow them through the sustain span.
  const wsSpan = overlapping(seconds, start, (recovery.recoveredAt ?? runEnd) + criteria.sustainMs);
  const reconnectTimes = wsSpan.map((s) => s.wsReconnectTime);
  const p50 = percentileOf(reconnectTimes, 50);
  const p95 = percentileOf(reconnectTimes, 95);
  const max = maxOf(reconnectTimes);

  const calls = judgeCalls(
    seconds.filter((s) => s.endedAt <= start),
    inWindow,
    wsSpan,
  );

  const recoveredInTime = recoveryMs !== null && recoveryMs <= criteria.maxRecoveryMs;
  const verdict: FaultVerdict = {
    name: window.name,
    kind: window.kind,
    target: window.target,
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(epochOf(window.endedAt)).toISOString(),
    interrupted: window.interrupted ?? false,
    recoveryFrom: window.recoveryFrom,
    timeToFirstErrorMs: firstError === undefined ? null : round(Math.max(0, firstError.startedAt - start)),
    requestsInWindow,
    errorsInWindow,
    errorRateInWindow: requestsInWindow > 0 ? errorsInWindow / requestsInWindow : null,
    p99InWindowMs: nullableRound(
      percentileOf(
        inWindow.map((s) => s.latency),
        99,
      ),
    ),
    baselineP99Ms: nullableRound(baselineP99Ms),
    recoveryMs,
    maxRecoveryMs: criteria.maxRecoveryMs,
    errorBudget: { failedRequests, requests: spanRequests, allowed: round(allowed) },
    errorBudgetSpent: errorBudgetSpent === null ? null : round(errorBudgetSpent),
    wsReconnects: sum(wsSpan, (s) => s.wsReconnects),
    wsResyncs: sum(wsSpan, (s) => s.wsResyncs ?? 0),
    wsReconnectTimeMs:
      p50 === null || p95 === null || max === null
        ? null
        : { p50: round(p50), p95: round(p95), max: round(max) },
    ...(calls && { calls }),
    // A fault no second of the load overlapped says nothing about the users: never a pass.
    ok:
      recoveredInTime &&
      withinBudget &&
      window.error === undefined &&
      inWindow.length > 0 &&
      calls?.outcome !== 'lost',
    reason: '',
  };
  verdict.reason = reasonFor(verdict, recovery.detail, inWindow.length === 0);
  const resyncs = verdict.wsResyncs ?? 0;
  if (verdict.wsReconnects > 0 || resyncs > 0)
    verdict.reason = `${verdict.reason}; ${verdict.wsReconnects} WebSocket reconnect(s), ${resyncs} client(s) resynced`;
  if (calls) verdict.reason = `${verdict.reason}; ${describeCalls(calls)}`;
  // A fault that did not apply (or come off) cleanly did not test what the drill says it did.
  if (window.error !== undefined)
    verdict.reason = `the fault did not apply cleanly (${window.error}); ${verdict.reason}`;
  return verdict;
}

function reasonFor(v: FaultVerdict, recoveryDetail: string, unobserved: boolean): string {
  const from = v.recoveryFrom === 'start' ? 'its start' : 'its end';
  const budget = `${v.errorBudget.failedRequests} failed request(s) of ${formatAllowed(v.errorBudget.allowed)} allowed`;
  if (unobserved) return 'no load was observed during the fault, so nothing says how the users fared';
  if (v.recoveryMs === null) return `not recovered: ${recoveryDetail}; ${budget}`;
  const recovered = `recovered ${formatSeconds(v.recoveryMs)} after ${from}`;
  if (v.recoveryMs > v.maxRecoveryMs)
    return `${recovered}, over the ${formatSeconds(v.maxRecoveryMs)} allowed; ${budget}`;
  if (v.errorBudget.failedRequests > v.errorBudget.allowed)
    return `${recovered}, but over the error budget: ${budget}`;
  return `${recovered} (limit ${formatSeconds(v.maxRecoveryMs)}); ${budget}`;
}

function formatAllowed(allowed: number): string {
  return Number.isInteger(allowed) ? String(allowed) : allowed.toFixed(1);
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : round(value);
}

function sum(seconds: readonly SecondObservation[], of: (s: SecondObservation) => number): number {
  return seconds.reduce((n, s) => n + of(s), 0);
}

/** `otherFailures` lines for the summary: one per failed fault. */
export function faultFailures(verdicts: readonly FaultVerdict[]): string[] {
  return verdicts.filter((v) => !v.ok).map((v) => `fault ${v.name} (${v.kind} on ${v.target}): ${v.reason}`);
}
