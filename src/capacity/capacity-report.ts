import type { CapacityReport } from '../summary/capacity-schema.js';
import type { BoundedHold, HoldOutcome } from './bounded-hold.js';
import type { BreachLog } from './breach-log.js';
import type { LoopOutcome } from './feedback-loop.js';
import type { CapacitySettings } from './settings.js';
import { recommendTier } from './tiers.js';

// summary.json's `capacity` block from what the search saw, and the sentences that make the
// verdict fail (not settled, harness-bound, short of the target, criteria not held).

export interface CapacityReportInput {
  settings: CapacitySettings;
  loopOutcome: LoopOutcome | null;
  holdOutcome: ReturnType<BoundedHold['outcome']> | null;
  firstBreachS: number | null;
  interrupted: boolean;
  breachLog: BreachLog;
  serverSource: CapacityReport['serverMetrics'];
  startedAtMs: number;
  harnessReason: string | undefined;
}

export function buildCapacityReport(input: CapacityReportInput): CapacityReport {
  const { settings, loopOutcome, holdOutcome, breachLog } = input;
  const bounded = settings.bounded !== undefined;
  let outcome: CapacityReport['outcome'];
  let supportedUsers: number | null;
  if (bounded) {
    const held = holdOutcome?.held === true && !input.interrupted;
    outcome = input.interrupted ? 'interrupted' : held ? 'held' : 'not-held';
    supportedUsers = held ? settings.bounded!.users : null;
  } else {
    outcome = loopOutcome?.reason ?? 'interrupted';
    supportedUsers = loopOutcome?.supportedUsers ?? null;
  }
  const harnessBoundAt = loopOutcome?.harnessBoundAt ?? null;
  return {
    mode: bounded ? 'bounded' : 'search',
    outcome,
    supportedUsers,
    ...(outcome === 'max-users' && { atLeast: true }),
    settledAt:
      loopOutcome?.settledAtS != null
        ? new Date(input.startedAtMs + loopOutcome.settledAtS * 1000).toISOString()
        : null,
    settle: { windowS: settings.settleMs / 1000, slope: loopOutcome?.slope ?? null, slopeLimit: 0.2 },
    settings: {
      step: settings.step,
      restS: settings.restMs / 1000,
      maxUsers: settings.maxUsers,
      ...(bounded && { users: settings.bounded!.users }),
    },
    firstBreachS: input.firstBreachS === null ? null : Math.round(input.firstBreachS * 1000) / 1000,
    peakUsers: breachLog.peakUsers,
    breachCount: breachLog.breachCount,
    breaches: breachLog.breaches,
    criteria: breachLog.criteriaReport(),
    limitingCriterion: bounded ? heldLimit(holdOutcome) : breachLog.limitingCriterion(),
    serverMetrics: input.serverSource,
    ...(harnessBoundAt !== null && {
      harnessBound: {
        users: harnessBoundAt,
        reason: `the harness saturated at ${harnessBoundAt} users (${input.harnessReason ?? 'event-loop delay or CPU'}) before the server breached: scale the load out (export the scenario to k6 and run it on several agents) to find the server's limit`,
      },
    }),
    recommendation: recommendTier(settings.targetUsers, supportedUsers),
  };
}

function heldLimit(hold: HoldOutcome | null): CapacityReport['limitingCriterion'] {
  return hold?.readings.find((r) => r.breached)?.id ?? null;
}

/** Why the run fails, one sentence each (empty: it passes). */
export function capacityFailures(report: CapacityReport, settings: CapacitySettings): string[] {
  const out: string[] = [];
  if (report.harnessBound) out.push(`harness-bound at ${report.harnessBound.users} users`);
  if (report.outcome === 'max-duration')
    out.push(`the search did not settle within ${Math.round(settings.maxDurationMs / 1000)} s`);
  if (report.outcome === 'interrupted') out.push('interrupted before the search ended');
  if (report.outcome === 'not-held')
    out.push(
      `${settings.bounded!.users} users did not hold the criteria${report.limitingCriterion ? ` (${report.limitingCriterion} over its limit)` : ' (not measured over a full hold)'}`,
    );
  if (
    settings.targetUsers !== undefined &&
    report.supportedUsers !== null &&
    report.supportedUsers < settings.targetUsers
  )
    out.push(`supported ${report.supportedUsers} users, below the target of ${settings.targetUsers}`);
  return out;
}

/** What a passing run found, in one sentence (the verdict's reason). */
export function capacitySentence(report: CapacityReport): string {
  const limit = report.limitingCriterion ? `; limiting criterion ${report.limitingCriterion}` : '';
  switch (report.outcome) {
    case 'settled':
      return `supported ${report.supportedUsers} users (settled over ${report.settle.windowS} s${limit})`;
    case 'max-users':
      return `supported at least ${report.supportedUsers} users (the maximum; no criterion breached)`;
    case 'held':
      return `${report.settings.users} users held every capacity criterion`;
    default:
      return `capacity search ended: ${report.outcome}${limit}`;
  }
}
