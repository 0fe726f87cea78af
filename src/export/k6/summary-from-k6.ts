import { redactArgv } from '../../report/summary.js';
import type { MetricSummary, Summary } from '../../summary/summary-schema.js';
import { compare, parseExpression, type ThresholdResult } from '../../verdict/thresholds.js';
import { decideVerdict } from '../../verdict/verdict.js';
import type { K6Metric, K6SummaryDocument } from './summary-document.js';

// k6 summaries (one per runner of a k6-operator TestRun) as mmdrill's summary.json, so that the
// same reports (HTML, Markdown, JUnit) and comparisons work for a run at scale. Several runners'
// summaries merge: counts and rates exactly; of a trend's percentiles only the largest runner
// value is known, an upper bound of the whole run's (said in the verdict's reason).

function mergeMetric(metrics: readonly K6Metric[], durationS: number): K6Metric {
  const first = metrics[0]!;
  if (metrics.length === 1) return first;
  const sum = (key: string) => metrics.reduce((s, m) => s + (m.values[key] ?? 0), 0);
  const max = (key: string) => Math.max(...metrics.map((m) => m.values[key] ?? Number.NEGATIVE_INFINITY));
  const min = (key: string) => Math.min(...metrics.map((m) => m.values[key] ?? Number.POSITIVE_INFINITY));
  const values: Record<string, number> = {};
  switch (first.type) {
    case 'counter':
      values.count = sum('count');
      values.rate = durationS > 0 ? values.count / durationS : 0;
      break;
    case 'rate':
      values.passes = sum('passes');
      values.fails = sum('fails');
      values.rate = values.passes + values.fails > 0 ? values.passes / (values.passes + values.fails) : 0;
      break;
    case 'gauge':
      values.value = max('value');
      values.min = min('min');
      values.max = max('max');
      break;
    case 'trend': {
      values.count = sum('count');
      const weighted = metrics.reduce((s, m) => s + (m.values.avg ?? 0) * (m.values.count ?? 0), 0);
      values.avg = values.count > 0 ? weighted / values.count : 0;
      values.min = min('min');
      values.max = max('max');
      for (const key of Object.keys(first.values))
        if (key === 'med' || key.startsWith('p(')) values[key] = max(key);
      break;
    }
  }
  return { type: first.type, values };
}

/** The runners' metrics merged by name. */
function mergeMetrics(docs: readonly K6SummaryDocument[], durationS: number): Record<string, K6Metric> {
  const byName = new Map<string, K6Metric[]>();
  for (const doc of docs)
    for (const [name, metric] of Object.entries(doc.metrics))
      byName.set(name, [...(byName.get(name) ?? []), metric]);
  const out: Record<string, K6Metric> = {};
  for (const [name, list] of byName) out[name] = mergeMetric(list, durationS);
  return out;
}

function toMetricSummary(metric: K6Metric): MetricSummary {
  const v = (key: string) => metric.values[key] ?? 0;
  switch (metric.type) {
    case 'trend':
      return {
        type: 'trend',
        count: Math.round(v('count')),
        avg: v('avg'),
        min: v('min'),
        med: v('med'),
        p90: v('p(90)'),
        p95: v('p(95)'),
        p99: v('p(99)'),
        max: v('max'),
      };
    case 'rate':
      return { type: 'rate', count: v('passes') + v('fails'), passes: v('passes'), rate: v('rate') };
    case 'counter':
      return { type: 'counter', count: v('count'), rate: v('rate') };
    case 'gauge':
      return { type: 'gauge', value: v('value'), min: v('min'), max: v('max') };
  }
}

/** The value a threshold expression compares, read from k6's values; null when not there. */
function measured(metric: K6Metric | undefined, expression: string): number | null {
  if (metric === undefined) return null;
  const { aggregation } = parseExpression(expression);
  const key = aggregation.kind === 'p' ? `p(${aggregation.percentile})` : aggregation.kind;
  const value = metric.values[key];
  if (value === undefined) return null;
  if (metric.type === 'trend' && key !== 'count' && (metric.values.count ?? 1) === 0) return null;
  return Math.round(value * 1000) / 1000;
}

function thresholdResults(
  docs: readonly K6SummaryDocument[],
  merged: Record<string, K6Metric>,
): ThresholdResult[] {
  const single = docs.length === 1 ? docs[0] : undefined;
  return docs[0]!.thresholds.map((t) => {
    const value = measured(merged[t.metric], t.expression);
    const judgedByK6 = single?.metrics[t.metric]?.thresholds?.[t.expression]?.ok;
    const { operator, limit } = parseExpression(t.expression);
    const ok = judgedByK6 ?? (value === null || compare(value, operator, limit));
    return {
      metric: t.metric,
      expression: t.expression,
      ok,
      value,
      ...(t.abortOnFail === true && { abortOnFail: true }),
      ...(t.source !== undefined && { source: t.source }),
    };
  });
}

function percentile(metric: K6Metric | undefined, key: string): number | null {
  if (metric === undefined || (metric.values.count ?? 0) === 0) return null;
  return metric.values[key] ?? null;
}

/** mmdrill's summary of a k6 run (all its runners' documents). */
export function summaryFromK6(docs: readonly K6SummaryDocument[], argv: readonly string[]): Summary {
  if (docs.length === 0) throw new RangeError('no k6 summary to read');
  const first = docs[0]!;
  const startedAt = docs.map((d) => d.startedAt).sort()[0]!;
  const endedAt = docs
    .map((d) => d.endedAt)
    .sort()
    .at(-1)!;
  const durationS = Math.max(...docs.map((d) => d.durationMs)) / 1000;
  const merged = mergeMetrics(docs, durationS);
  const thresholds = thresholdResults(docs, merged);
  const notes = [
    `${docs.length} k6 runner summar${docs.length === 1 ? 'y' : 'ies'}`,
    ...(docs.length > 1 ? ['percentiles are the largest runner value (an upper bound)'] : []),
    'deliveries timed, not audited',
    ...first.skippedThresholds.map((s) => `not measured in k6: ${s.metric} ${s.expression}`),
  ];
  const { verdict, reason } = decideVerdict(thresholds, { saturated: false });
  const delivery = merged.mm_delivery_latency;
  const metrics: Summary['metrics'] = {};
  for (const [name, metric] of Object.entries(merged)) metrics[name] = toMetricSummary(metric);
  return {
    version: 1,
    verdict,
    reason: `${reason} (${notes.join('; ')})`,
    startedAt,
    endedAt,
    durationS,
    partial: false,
    command: redactArgv(argv),
    scenario: first.scenario,
    environment: { name: first.environment.name, provider: 'existing', url: first.environment.url },
    thresholds,
    metrics,
    delivery: {
      posts: Math.round(merged.mm_delivery_posts?.values.count ?? 0),
      latency: {
        p50: percentile(delivery, 'med'),
        p95: percentile(delivery, 'p(95)'),
        p99: percentile(delivery, 'p(99)'),
      },
      // k6 VUs share no state: deliveries are timed, not audited (the reason says so).
      undelivered: 0,
    },
    harness: {
      eventLoopDelayP99Ms: 0,
      cpu: 0,
      saturated: false,
      reason: 'the load came from k6 runners, which mmdrill did not observe',
    },
  };
}
