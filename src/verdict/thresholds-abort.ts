import type { TickListener } from '../metrics/heartbeat.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import { evaluateThreshold, type Threshold, type ThresholdResult, thresholdSelectors } from './thresholds.js';

// k6's abortOnFail: thresholds marked so are checked every second against the run so far, once
// their delayAbortEval has passed; the first failure stops the run (the summary still follows,
// with every threshold evaluated at the end).

export class ThresholdsAbortError extends Error {
  override readonly name = 'ThresholdsAbortError';

  constructor(readonly failed: readonly ThresholdResult[]) {
    super(
      `aborted: threshold failed: ${failed.map((r) => `${r.metric} ${r.expression} (got ${r.value})`).join('; ')}`,
    );
  }
}

export class AbortOnFail {
  private readonly watched: readonly Threshold[];

  /** Tracks the tagged selectors in the registry, so each check reads them without merging. */
  constructor(
    thresholds: readonly Threshold[],
    private readonly registry: MetricsRegistry,
  ) {
    this.watched = thresholds.filter((t) => t.abortOnFail);
    for (const selector of thresholdSelectors(this.watched)) registry.track(selector);
  }

  get active(): boolean {
    return this.watched.length > 0;
  }

  /** The abortOnFail thresholds failing now, among those whose delay has passed at `elapsedMs`. */
  check(elapsedMs: number): ThresholdResult[] {
    return this.watched
      .filter((t) => elapsedMs >= t.delayAbortEvalMs)
      .map((t) => evaluateThreshold(t, this.registry))
      .filter((r) => !r.ok);
  }

  /** A heartbeat listener that aborts `controller` (reason: ThresholdsAbortError) on the first failure. */
  listener(controller: AbortController): TickListener {
    return ({ elapsedMs }) => {
      if (controller.signal.aborted) return;
      const failed = this.check(elapsedMs);
      if (failed.length > 0) controller.abort(new ThresholdsAbortError(failed));
    };
  }
}
