import { formatDuration } from '../../config/duration.js';
import type { ExecutorType } from '../../load/executor-schema.js';
import { scenarioLengthMs } from '../../load/executors/create-executor.js';
import { type K6ExecutorFields, k6Duration } from '../../load/executors/define-executor.js';
import { executorKind } from '../../load/executors/registry.js';
import type { ScenarioEntry, ScenarioFile } from '../../load/scenario.js';
import { METRIC } from '../../metrics/api.js';
import { targetSet, targetThresholds } from '../../verdict/target-sets.js';
import { parseThresholds, type Threshold } from '../../verdict/thresholds.js';

// A scenario file as k6 `options`: the same executors with the same parameters (k6 has them
// natively; mmdrill's names are k6's), and the same thresholds in the same syntax. Pure: the
// script renderer embeds the result as JSON.

/** The exported functions of the generated script, one per kind of iteration. */
export const EXEC_FUNCTIONS = {
  /** Closed model, user model: one iteration is a user's session holding a WebSocket. */
  userSession: 'userSession',
  /** Open model, user model: one iteration is one action of the mix. */
  userAction: 'userAction',
  /** A fixed action loop: one pass per iteration. */
  actionLoop: 'actionLoop',
} as const;

/** Metrics the k6 script cannot record, and why: thresholds on them are left out, and said so. */
export const NOT_MEASURED_IN_K6: Readonly<Record<string, string>> = {
  [METRIC.deliveryMissed]:
    'needs the cross-user delivery tracker of one process; k6 VUs share no state (delivery latency is exported)',
  [METRIC.wsSessions]: 'a gauge per VU in k6, not a count of open sockets across VUs',
  [METRIC.harnessEventLoopDelay]: "the mmdrill harness's own metric; k6 runners report their own",
  [METRIC.harnessCpu]: "the mmdrill harness's own metric; k6 runners report their own",
};

export interface K6Threshold {
  threshold: string;
  abortOnFail?: boolean;
  delayAbortEval?: string;
}

/** One scenario in k6's form (the subset mmdrill writes): its executor's own options beside these. */
export type K6Scenario = K6ExecutorFields & {
  executor: ExecutorType;
  exec: string;
  startTime?: string;
  gracefulStop?: string;
  tags?: Record<string, string>;
  env?: Record<string, string>;
};

/** A threshold as mmdrill reads it back from the k6 summary (metric and expression as written). */
export interface ExportedThreshold {
  metric: string;
  expression: string;
  abortOnFail?: boolean;
  source?: string;
}

export interface K6Options {
  scenarios: Record<string, K6Scenario>;
  thresholds: Record<string, (string | K6Threshold)[]>;
  summaryTrendStats: string[];
}

export interface K6OptionsResult {
  options: K6Options;
  /** Every threshold exported, in order, for the summary read-back. */
  thresholds: ExportedThreshold[];
  /** Thresholds left out, each with the reason. */
  skippedThresholds: { metric: string; expression: string; reason: string }[];
  /** How long each scenario starts iterations (ms): the sessions of closed-model users end then. */
  scenarioLengthsMs: Record<string, number>;
}

/** The exec function and per-scenario environment for what the scenario's iterations do. */
function execOf(entry: ScenarioEntry): { exec: string; env?: Record<string, string> } {
  const { openModel } = executorKind(entry.executor);
  if (entry.exec !== undefined && entry.exec !== 'user-model')
    return { exec: EXEC_FUNCTIONS.actionLoop, env: { MM_ACTIONS: entry.exec.actions.join(',') } };
  return { exec: openModel ? EXEC_FUNCTIONS.userAction : EXEC_FUNCTIONS.userSession };
}

export function k6Scenario(entry: ScenarioEntry): K6Scenario {
  const { exec, env } = execOf(entry);
  const common = {
    executor: entry.executor,
    exec,
    ...(entry.startTime !== undefined && { startTime: k6Duration(entry.startTime) }),
    ...(entry.gracefulStop !== undefined && { gracefulStop: k6Duration(entry.gracefulStop) }),
  };
  const own = executorKind(entry.executor).k6(entry);
  const scenario = { ...common, ...own } as K6Scenario;
  if (entry.tags !== undefined) scenario.tags = { ...entry.tags };
  if (env !== undefined) scenario.env = env;
  // Drop the keys left undefined (k6 rejects nothing, but the JSON stays tidy).
  for (const key of Object.keys(scenario) as (keyof K6Scenario)[])
    if (scenario[key] === undefined) delete scenario[key];
  return scenario;
}

function k6ThresholdEntry(t: Threshold): string | K6Threshold {
  if (!t.abortOnFail && t.delayAbortEvalMs === 0) return t.expression;
  return {
    threshold: t.expression,
    ...(t.abortOnFail && { abortOnFail: true }),
    ...(t.delayAbortEvalMs > 0 && { delayAbortEval: formatDuration(t.delayAbortEvalMs) }),
  };
}

/** The scenario file's thresholds plus its target set's, as k6 thresholds. */
function exportThresholds(file: ScenarioFile): Pick<K6OptionsResult, 'thresholds' | 'skippedThresholds'> & {
  k6: K6Options['thresholds'];
} {
  const parsed = parseThresholds(file.thresholds).thresholds;
  if (file.targets !== 'none') parsed.push(...targetThresholds(targetSet(file.targets)));
  const k6: K6Options['thresholds'] = {};
  const thresholds: ExportedThreshold[] = [];
  const skippedThresholds: K6OptionsResult['skippedThresholds'] = [];
  for (const t of parsed) {
    const reason = NOT_MEASURED_IN_K6[t.selector.name];
    if (reason !== undefined) {
      skippedThresholds.push({ metric: t.metric, expression: t.expression, reason });
      continue;
    }
    const list = k6[t.metric] ?? [];
    k6[t.metric] = list;
    if (list.some((e) => (typeof e === 'string' ? e : e.threshold) === t.expression)) continue;
    list.push(k6ThresholdEntry(t));
    thresholds.push({
      metric: t.metric,
      expression: t.expression,
      ...(t.abortOnFail && { abortOnFail: true }),
      ...(t.source !== undefined && { source: t.source }),
    });
  }
  return { k6, thresholds, skippedThresholds };
}

/** The k6 options reproducing `file`. */
export function k6Options(file: ScenarioFile): K6OptionsResult {
  const scenarios: Record<string, K6Scenario> = {};
  const scenarioLengthsMs: Record<string, number> = {};
  for (const [name, entry] of Object.entries(file.scenarios)) {
    scenarios[name] = k6Scenario(entry);
    scenarioLengthsMs[name] = scenarioLengthMs(entry);
  }
  const { k6, thresholds, skippedThresholds } = exportThresholds(file);
  return {
    options: {
      scenarios,
      thresholds: k6,
      // count is what lets mmdrill merge the summaries of several runners.
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    },
    thresholds,
    skippedThresholds,
    scenarioLengthsMs,
  };
}
