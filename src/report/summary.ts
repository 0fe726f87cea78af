import { writeFile } from 'node:fs/promises';
import { mmdrillVersion } from '../common/package-root.js';
import { METRIC } from '../metrics/api.js';
import type { HarnessReport } from '../metrics/harness-monitor.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { DriftReport } from '../summary/drift-schema.js';
import type { Summary } from '../summary/summary-schema.js';
import { auditFailures } from '../verdict/audits.js';
import { driftFailures } from '../verdict/drift.js';
import type { TargetCheckResult, TargetSet } from '../verdict/target-sets.js';
import { targetReport } from '../verdict/target-sets.js';
import { evaluateThresholds, type Threshold, thresholdSelectors } from '../verdict/thresholds.js';
import { decideVerdict } from '../verdict/verdict.js';
import { endpointRates } from './endpoint-rates.js';
import { searchBands } from './search-bands.js';

// Builds summary.json from the run's registry, thresholds and harness report, and decides the
// verdict. The rule: invalid if the harness saturated (the run says so rather than blaming the
// server), else fail if any threshold (or other check) failed, else pass.

export interface SummaryInput {
  registry: MetricsRegistry;
  /** Scenario and target-set thresholds; evaluated here against the whole run. */
  thresholds: readonly Threshold[];
  harness: HarnessReport;
  startedAt: Date;
  endedAt: Date;
  /** process.argv (or the part after `node`); secrets are redacted here. */
  argv: readonly string[];
  scenario: Summary['scenario'];
  environment: Summary['environment'];
  partial: boolean;
  /** Posts whose delivery the run measured (the delivery tracker knows). */
  deliveryPosts: number;
  targets?: { set: TargetSet; serverResults?: Readonly<Record<string, TargetCheckResult>> };
  /** Failing checks beyond thresholds (audits, fault verdicts), each one short sentence. */
  otherFailures?: readonly string[];
  faults?: Summary['faults'];
  drill?: Summary['drill'];
  audits?: Summary['audits'];
  capacity?: Summary['capacity'];
  preparation?: Summary['preparation'];
  /** Trends of a long run (scenario `drift` section); failed drift thresholds fail the run. */
  drift?: DriftReport;
  /** A drill's steady-state phases (their failures arrive in otherFailures). */
  steadyState?: Summary['steadyState'];
  /** What the app tier tried to reach outside the stack (its failures arrive in otherFailures). */
  egress?: Summary['egress'];
}

export function buildSummary(input: SummaryInput): Summary {
  const { registry } = input;
  const thresholds = evaluateThresholds(input.thresholds, registry);
  const metrics = registry.snapshot({
    include: thresholdSelectors(input.thresholds),
    now: input.endedAt.getTime(),
  });
  const otherFailures = [...(input.otherFailures ?? []), ...(input.drift ? driftFailures(input.drift) : [])];
  const { verdict, reason } = decideVerdict(thresholds, input.harness, otherFailures, {
    faults: input.faults?.length ?? 0,
    audits: input.audits !== undefined,
    ...(input.audits && input.audits.lostPosts > 0 && { postsLost: auditFailures(input.audits)[0]! }),
  });
  const summary: Summary = {
    version: 1,
    verdict,
    reason,
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    durationS: Math.max(0, (input.endedAt.getTime() - input.startedAt.getTime()) / 1000),
    partial: input.partial,
    command: redactArgv(input.argv),
    scenario: input.scenario,
    environment: input.environment,
    thresholds,
    metrics,
    delivery: deliveryBlock(registry, input.deliveryPosts),
    harness: input.harness,
  };
  if (input.preparation !== undefined) summary.preparation = input.preparation;
  if (input.targets !== undefined)
    summary.targets = targetReport(input.targets.set, thresholds, input.targets.serverResults);
  if (input.faults !== undefined) summary.faults = input.faults;
  if (input.drill !== undefined) summary.drill = input.drill;
  summary.versions = { mmdrill: mmdrillVersion(), node: process.versions.node };
  if (input.audits !== undefined) summary.audits = input.audits;
  if (input.capacity !== undefined) summary.capacity = input.capacity;
  if (input.drift !== undefined) summary.drift = input.drift;
  if (input.steadyState !== undefined) summary.steadyState = input.steadyState;
  if (input.egress !== undefined) summary.egress = input.egress;
  const bands = searchBands(registry);
  if (bands !== undefined) summary.searchBands = bands;
  const rates = endpointRates(registry);
  if (rates !== undefined) summary.requestsPerUserHour = rates;
  return summary;
}

/** The closing console line: `verdict: fail — 1 check(s) failed: …`. */
export function verdictLine(summary: Pick<Summary, 'verdict' | 'reason'>): string {
  const label = summary.verdict === 'invalid' ? 'INVALID (harness saturated)' : summary.verdict;
  return `verdict: ${label} — ${summary.reason}`;
}

export async function writeSummary(path: string, summary: Summary): Promise<void> {
  await writeFile(path, `${JSON.stringify(summary, null, 2)}\n`);
}

function deliveryBlock(registry: MetricsRegistry, posts: number): Summary['delivery'] {
  const latency = registry.query({ name: METRIC.deliveryLatency, tags: {} });
  const missed = registry.query({ name: METRIC.deliveryMissed, tags: {} });
  const at = (p: number) =>
    latency?.type === 'trend' && latency.count > 0 ? Math.round(latency.percentile(p) * 1000) / 1000 : null;
  return {
    posts,
    latency: { p50: at(50), p95: at(95), p99: at(99) },
    undelivered: missed?.type === 'counter' ? missed.count : 0,
  };
}

const SECRET_FLAG = /^--?[\w-]*(pass(word)?|secret|token|api-?key|credential|auth)[\w-]*$/i;
const SECRET_ASSIGNMENT = /^([\w-]*(pass(word)?|secret|token|api-?key|credential|auth)[\w-]*)=.*$/i;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^/:@\s]+):[^@/\s]*@/gi;

/**
 * The command line with secrets replaced by `***`: values of flags naming a password, secret,
 * token, API key, credential or auth (`--admin-password x`, `--token=x`, `PASSWORD=x`), and
 * passwords in URLs (`https://user:***@host`).
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let hideNext = false;
  for (const arg of argv) {
    if (hideNext) {
      out.push('***');
      hideNext = false;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    if (SECRET_FLAG.test(flag)) {
      if (eq === -1) hideNext = true;
      out.push(eq === -1 ? arg : `${flag}=***`);
    } else if (SECRET_ASSIGNMENT.test(arg)) {
      out.push(arg.replace(SECRET_ASSIGNMENT, '$1=***'));
    } else {
      out.push(arg.replace(URL_CREDENTIALS, '$1:***@'));
    }
  }
  return out;
}
