import type { ConfigPath } from '../config/config-path.js';
import { didYouMean } from '../config/did-you-mean.js';
import { parseDuration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { METRIC_CATALOGUE, metricInfo } from '../metrics/catalogue.js';
import type { MetricSource } from '../metrics/metric-source.js';
import { parseSelector, type Selector, selectorName, tagsKey } from '../metrics/series-name.js';
import { type MetricType, newSink, type Sink } from '../metrics/sinks.js';
import type { ThresholdsConfig } from './thresholds-schema.js';

// k6 thresholds: `metric{tag:value}: ['p(99)<2000', {threshold: 'rate<0.01', abortOnFail: true}]`.
// Parsing returns problems (located by path, for the scenario loader's file:line:field errors)
// instead of throwing; evaluation reads a MetricSource (the whole run, or one interval).

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type Aggregation =
  | { kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' }
  | { kind: 'p'; percentile: number };

export interface Threshold {
  /** Canonical selector text, tags sorted: `http_req_duration{action:create_post}`. */
  metric: string;
  selector: Selector;
  type: MetricType;
  /** The expression as written (trimmed). */
  expression: string;
  aggregation: Aggregation;
  operator: Operator;
  limit: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
  /** Where it is written: basePath + [metric key, index]. */
  path: ConfigPath;
  /** Where it comes from, when not the scenario (`targets:mattermost-reference`). */
  source?: string;
}

/** One line of summary.json's `thresholds`. */
export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** The measured value; null when there was nothing to measure (no samples: not judged, as k6). */
  value: number | null;
  abortOnFail?: boolean;
  source?: string;
}

export interface ParseThresholdsOptions {
  /** Prefix of the problems' paths (where the mapping sits in the file, e.g. ['scenarios', 'chat', 'thresholds']). */
  basePath?: ConfigPath;
  /** Types of metrics beyond mmdrill's built-ins. */
  metricTypes?: Readonly<Record<string, MetricType>>;
  source?: string;
}

const AGGREGATIONS: Readonly<Record<MetricType, readonly string[]>> = {
  trend: ['avg', 'min', 'max', 'med', 'count', 'p(N)'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value', 'min', 'max'],
};
const ALL_AGGREGATIONS = ['avg', 'min', 'max', 'med', 'count', 'rate', 'value', 'p'];
const OPERATOR = /^(===|==|!=|<=|>=|<|>)/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses one expression (`p(99) < 2000`). Throws RangeError with a message fit for a user. */
export function parseExpression(text: string): {
  aggregation: Aggregation;
  operator: Operator;
  limit: number;
} {
  const source = text.trim();
  const head = /^([A-Za-z_]\w*)\s*/.exec(source);
  if (head === null)
    throw new RangeError(`expected an aggregation (${ALL_AGGREGATIONS.join(', ')}(N)) first`);
  const word = head[1]!;
  let rest = source.slice(head[0].length);
  let aggregation: Aggregation;
  if (word === 'p') {
    const arg = /^\(\s*([^)]*?)\s*\)\s*/.exec(rest);
    if (arg === null) throw new RangeError('p needs a percentile in parentheses, e.g. p(99)');
    const percentile = Number(arg[1]);
    if (arg[1] === '' || !NUMBER.test(arg[1]!) || percentile < 0 || percentile > 100)
      throw new RangeError(`percentile "${arg[1]}" must be a number from 0 to 100`);
    aggregation = { kind: 'p', percentile };
    rest = rest.slice(arg[0].length);
  } else if (/^p\d/.test(word)) {
    throw new RangeError(`write the percentile in parentheses: p(${word.slice(1)})`);
  } else if (ALL_AGGREGATIONS.includes(word)) {
    aggregation = { kind: word as Exclude<Aggregation['kind'], 'p'> };
  } else {
    throw new RangeError(
      `unknown aggregation "${word}"${didYouMean(word, ALL_AGGREGATIONS)}: one of avg, min, max, med, count, rate, value, p(N)`,
    );
  }
  const op = OPERATOR.exec(rest);
  if (op === null) throw new RangeError(`expected <, <=, >, >=, == or != after ${word}`);
  const operator = (op[1] === '===' ? '==' : op[1]) as Operator;
  const number = rest.slice(op[1]!.length).trim();
  if (!NUMBER.test(number))
    throw new RangeError(
      number === '' ? `expected a number after ${operator}` : `"${number}" is not a number`,
    );
  return { aggregation, operator, limit: Number(number) };
}

/** Parses the whole mapping; every problem is collected, none thrown. */
export function parseThresholds(
  config: ThresholdsConfig,
  options: ParseThresholdsOptions = {},
): { thresholds: Threshold[]; problems: ConfigIssue[] } {
  const base = options.basePath ?? [];
  const thresholds: Threshold[] = [];
  const problems: ConfigIssue[] = [];
  const typeOf = (name: string): MetricType | undefined =>
    options.metricTypes !== undefined && Object.hasOwn(options.metricTypes, name)
      ? options.metricTypes[name]
      : metricInfo(name)?.type;
  const known = [...Object.keys(METRIC_CATALOGUE), ...Object.keys(options.metricTypes ?? {})];

  for (const [key, entries] of Object.entries(config)) {
    const keyProblem = (message: string) => problems.push({ path: [...base, key], anchor: 'key', message });
    let selector: Selector;
    try {
      selector = parseSelector(key);
    } catch (error) {
      keyProblem(`invalid threshold key "${key}": ${(error as Error).message}`);
      continue;
    }
    const type = typeOf(selector.name);
    if (type === undefined) {
      keyProblem(`unknown metric "${selector.name}"${didYouMean(selector.name, known)}`);
      continue;
    }
    if (Object.keys(selector.tags).length > 0 && metricInfo(selector.name)?.tagged === false) {
      keyProblem(`${selector.name} has no tags: use "${selector.name}" without a filter`);
      continue;
    }
    if (!Array.isArray(entries)) {
      problems.push({ path: [...base, key], message: 'expected a list of threshold expressions' });
      continue;
    }
    entries.forEach((entry, index) => {
      const path = [...base, key, index];
      const written = typeof entry === 'string' ? entry : entry?.threshold;
      const exprPath = typeof entry === 'string' ? path : [...path, 'threshold'];
      if (typeof written !== 'string') {
        problems.push({
          path,
          message: "expected 'p(99)<2000' or { threshold: 'p(99)<2000', abortOnFail: true }",
        });
        return;
      }
      let parsed: ReturnType<typeof parseExpression>;
      try {
        parsed = parseExpression(written);
      } catch (error) {
        problems.push({
          path: exprPath,
          message: `invalid threshold "${written}": ${(error as Error).message}`,
        });
        return;
      }
      const allowed = AGGREGATIONS[type];
      const name = parsed.aggregation.kind === 'p' ? 'p(N)' : parsed.aggregation.kind;
      if (!allowed.includes(name)) {
        problems.push({
          path: exprPath,
          message: `${name} does not apply to ${selector.name}, a ${type}: use ${allowed.join(', ')}`,
        });
        return;
      }
      let delayAbortEvalMs = 0;
      if (typeof entry !== 'string' && entry.delayAbortEval !== undefined) {
        try {
          delayAbortEvalMs = parseDuration(entry.delayAbortEval);
        } catch (error) {
          problems.push({ path: [...path, 'delayAbortEval'], message: (error as Error).message });
          return;
        }
      }
      thresholds.push({
        metric: selectorName(selector),
        selector,
        type,
        expression: written.trim(),
        ...parsed,
        abortOnFail: typeof entry !== 'string' && entry.abortOnFail === true,
        delayAbortEvalMs,
        path,
        ...(options.source !== undefined && { source: options.source }),
      });
    });
  }
  return { thresholds, problems };
}

/** The value a threshold compares, or null when the series has no samples to judge. */
export function measure(threshold: Threshold, source: MetricSource): number | null {
  const sink: Sink = source.query(threshold.selector) ?? newSink(threshold.type);
  const kind = threshold.aggregation.kind;
  switch (sink.type) {
    case 'trend': {
      if (kind === 'count') return sink.count;
      if (sink.count === 0) return null;
      if (threshold.aggregation.kind === 'p') return sink.percentile(threshold.aggregation.percentile);
      if (kind === 'avg') return sink.avg;
      if (kind === 'med') return sink.percentile(50);
      return kind === 'min' ? sink.min : sink.max;
    }
    case 'counter': {
      if (kind === 'count') return sink.count;
      const periodS = source.periodS();
      return periodS > 0 ? sink.count / periodS : 0;
    }
    case 'rate':
      return sink.rate;
    case 'gauge': {
      if (sink.updated === 0) return null;
      return kind === 'min' ? sink.min : kind === 'max' ? sink.max : sink.value;
    }
  }
}

export function compare(value: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

export function evaluateThreshold(threshold: Threshold, source: MetricSource): ThresholdResult {
  const value = measure(threshold, source);
  return {
    metric: threshold.metric,
    expression: threshold.expression,
    ok: value === null || compare(value, threshold.operator, threshold.limit),
    value: value === null ? null : roundValue(value),
    ...(threshold.abortOnFail && { abortOnFail: true }),
    ...(threshold.source !== undefined && { source: threshold.source }),
  };
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  source: MetricSource,
): ThresholdResult[] {
  return thresholds.map((t) => evaluateThreshold(t, source));
}

/** The distinct tagged selectors of some thresholds (to track in the registry and report in the summary). */
export function thresholdSelectors(thresholds: readonly Threshold[]): Selector[] {
  const seen = new Map<string, Selector>();
  for (const t of thresholds) {
    if (tagsKey(t.selector.tags) !== '') seen.set(t.metric, t.selector);
  }
  return [...seen.values()];
}

/** Microsecond resolution for ms values; rates and tiny values keep their significant digits. */
function roundValue(value: number): number {
  return Math.abs(value) >= 1 ? Math.round(value * 1000) / 1000 : Number(value.toPrecision(6));
}
