import { METRIC } from '../metrics/api.js';
import { DERIVED_METRIC } from '../metrics/catalogue.js';
import { parseThresholds, type Threshold, type ThresholdResult } from './thresholds.js';
import type { ThresholdsConfig } from './thresholds-schema.js';

// Named target sets (`targets: mattermost-reference` in a scenario or drill). The checks the
// harness can measure become ordinary thresholds; the ones that need the servers' own metrics
// (CPU, memory, retransmits) are listed as such, reported as not evaluated until the capacity
// work reads them from the stack, and never counted as passed.

export interface ServerCheck {
  id: string;
  /** What is checked, as the reference states it. */
  check: string;
  /** The limit, as the reference states it. */
  limit: string;
}

/** A row the harness measures itself: one threshold. */
export interface MeasuredCheck extends ServerCheck {
  metric: string;
  expression: string;
}

export interface TargetSet {
  name: string;
  description: string;
  measuredChecks: readonly MeasuredCheck[];
  /** Rows that need server-side metrics. */
  serverChecks: readonly ServerCheck[];
}

/** Mattermost's capacity criteria (docs/reference-architectures.md). */
const MATTERMOST_REFERENCE: TargetSet = {
  name: 'mattermost-reference',
  description: "Mattermost's capacity criteria for a supported user count (its ceiling tests)",
  measuredChecks: [
    {
      id: 'client-5xx',
      check: 'client-side 5xx responses',
      limit: '< 0.025 % of requests',
      metric: DERIVED_METRIC.httpReq5xx,
      expression: 'rate<0.00025',
    },
    {
      id: 'client-timeouts',
      check: 'client timeouts',
      limit: '< 0.025 % of requests',
      metric: DERIVED_METRIC.timeoutRate,
      expression: 'rate<0.00025',
    },
    {
      id: 'avg-latency',
      check: 'average client request latency',
      limit: '< 100 ms',
      metric: METRIC.httpReqDuration,
      expression: 'avg<100',
    },
    {
      id: 'p99-latency',
      check: 'p99 client request latency',
      limit: '< 2 s',
      metric: METRIC.httpReqDuration,
      expression: 'p(99)<2000',
    },
  ],
  serverChecks: [
    { id: 'server-5xx', check: 'server 5xx responses (app nodes)', limit: '< 0.025 % of requests' },
    { id: 'app-cpu', check: 'app node CPU', limit: '< 85 %' },
    { id: 'app-memory', check: 'app node memory', limit: '< 85 %' },
    { id: 'tcp-retransmits', check: 'TCP retransmits (app and proxy)', limit: '< 0.5–1 %' },
  ],
};

export const TARGET_SETS: Readonly<Record<string, TargetSet>> = {
  [MATTERMOST_REFERENCE.name]: MATTERMOST_REFERENCE,
};

export const TARGET_SET_NAMES = Object.keys(TARGET_SETS);

export function targetSet(name: string): TargetSet {
  const set = Object.hasOwn(TARGET_SETS, name) ? TARGET_SETS[name] : undefined;
  if (set === undefined)
    throw new RangeError(`unknown target set "${name}" (known: ${TARGET_SET_NAMES.join(', ')})`);
  return set;
}

/** The set's thresholds, marked with `source: targets:<name>` (they join the scenario's in the verdict). */
export function targetThresholds(set: TargetSet): Threshold[] {
  const config: ThresholdsConfig = {};
  for (const row of set.measuredChecks) config[row.metric] = [...(config[row.metric] ?? []), row.expression];
  const { thresholds, problems } = parseThresholds(config, { source: `targets:${set.name}` });
  // Built-in sets are fixed: a problem here is a bug, and a unit test parses every set.
  if (problems.length > 0)
    throw new Error(`target set ${set.name}: ${problems.map((p) => p.message).join('; ')}`);
  return thresholds;
}

/** One row of the summary's `targets.checks`. */
export interface TargetCheckResult {
  id: string;
  check: string;
  limit: string;
  status: 'pass' | 'fail' | 'not-evaluated';
  metric?: string;
  expression?: string;
  value?: number | null;
  /** Why a row is not evaluated. */
  note?: string;
}

export interface TargetReport {
  name: string;
  checks: TargetCheckResult[];
}

/**
 * The set's rows for the summary: threshold rows from their results, server rows as
 * not-evaluated (the capacity work replaces them with measured rows via `serverResults`).
 */
export function targetReport(
  set: TargetSet,
  results: readonly ThresholdResult[],
  serverResults: Readonly<Record<string, TargetCheckResult>> = {},
): TargetReport {
  const source = `targets:${set.name}`;
  const checks: TargetCheckResult[] = set.measuredChecks.map((row) => {
    const result = results.find(
      (r) => r.source === source && r.metric === row.metric && r.expression === row.expression,
    );
    return {
      id: row.id,
      check: row.check,
      limit: row.limit,
      metric: row.metric,
      expression: row.expression,
      ...(result === undefined
        ? { status: 'not-evaluated' as const, note: 'threshold not evaluated in this run' }
        : { status: result.ok ? ('pass' as const) : ('fail' as const), value: result.value }),
    };
  });
  for (const server of set.serverChecks) {
    checks.push(
      serverResults[server.id] ?? {
        id: server.id,
        check: server.check,
        limit: server.limit,
        status: 'not-evaluated',
        note: "needs server metrics (the app nodes' and proxy's own), which this run did not read",
      },
    );
  }
  return { name: set.name, checks };
}
