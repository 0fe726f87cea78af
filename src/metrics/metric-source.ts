import type { Selector } from './series-name.js';
import type { Sink } from './sinks.js';

/**
 * What thresholds are evaluated against: the whole run so far (MetricsRegistry) or one interval
 * (IntervalSnapshot, e.g. the capacity search's per-second checks).
 */
export interface MetricSource {
  /**
   * The accumulated series the selector picks (all series of `name` whose tags include the
   * filter, merged), or undefined when the metric has never been recorded. Read-only.
   */
  query(selector: Selector): Sink | undefined;
  /** Seconds the source covers: what a counter's `rate` divides by. */
  periodS(): number;
}
