import type { TrendSink } from '../metrics/sinks.js';

// A second's latency distribution kept as a few quantiles instead of its HDR histogram: an hour
// of per-second histograms would take hundreds of MB, 3,600 sketches take a few. Percentiles over
// any span of seconds (a fault window, the baseline) are read from the merged sketches, treating
// each second's distribution as linear between its quantiles. A percentile that is one of the
// kept points is exact for a single second; over several seconds the error stays within the gap
// between neighbouring points (1 point per percent above p90, finer at the tail).

/** Percentiles kept per second: coarse in the body, fine in the tail the verdicts look at. */
export const SKETCH_PERCENTILES: readonly number[] = [
  0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 91, 92, 93, 94, 95, 96, 97, 98,
  99, 99.5, 99.9, 100,
];

export interface LatencySketch {
  /** Samples in the second. */
  count: number;
  /** The values (ms) at SKETCH_PERCENTILES, non-decreasing. */
  values: readonly number[];
}

/** The sketch of a trend sink, or null when it holds no samples. */
export function sketchOfTrend(sink: TrendSink | undefined): LatencySketch | null {
  if (sink === undefined || sink.count === 0) return null;
  return { count: sink.count, values: SKETCH_PERCENTILES.map((p) => sink.percentile(p)) };
}

/** A sketch of exact samples (tests, and spans built from raw values). */
export function sketchOfSamples(samples: readonly number[]): LatencySketch | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    // Linear interpolation between closest ranks, as numpy's default.
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
  };
  return { count: sorted.length, values: SKETCH_PERCENTILES.map(at) };
}

/** The largest value over the sketches (exact: the 100th percentile is kept), or null. */
export function maxOf(sketches: readonly (LatencySketch | null)[]): number | null {
  let max: number | null = null;
  for (const s of sketches) if (s !== null) max = Math.max(max ?? s.values.at(-1)!, s.values.at(-1)!);
  return max;
}

/**
 * Percentile `p` (0..100) of the samples of all sketches together, or null without samples: the
 * smallest value at which the summed distribution reaches p % of the samples.
 */
export function percentileOf(sketches: readonly (LatencySketch | null)[], p: number): number | null {
  const present = sketches.filter((s): s is LatencySketch => s !== null && s.count > 0);
  if (present.length === 0) return null;
  if (present.length === 1) {
    const exact = SKETCH_PERCENTILES.indexOf(p);
    if (exact !== -1) return present[0]!.values[exact]!;
  }
  const total = present.reduce((n, s) => n + s.count, 0);
  const target = (Math.min(100, Math.max(0, p)) / 100) * total;
  const points = [...new Set(present.flatMap((s) => s.values))].sort((a, b) => a - b);
  const below = (v: number) => present.reduce((n, s) => n + s.count * shareBelow(s, v, false), 0);
  const atOrBelow = (v: number) => present.reduce((n, s) => n + s.count * shareBelow(s, v, true), 0);
  // The first breakpoint where the merged distribution reaches the target.
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (atOrBelow(points[mid]!) >= target) high = mid;
    else low = mid + 1;
  }
  const value = points[low]!;
  if (low === 0) return value;
  const previous = points[low - 1]!;
  const from = atOrBelow(previous);
  const to = below(value); // the linear part ends here; any rest is a jump at `value`
  if (target >= to || to <= from) return value;
  return previous + ((value - previous) * (target - from)) / (to - from);
}

/**
 * The share of a sketch's samples at or below `v` (inclusive) or strictly below it (the limit
 * from the left), reading the distribution as linear between kept points.
 */
function shareBelow(sketch: LatencySketch, v: number, inclusive: boolean): number {
  const values = sketch.values;
  // The last kept point at (or, for the left limit, strictly) below v.
  let i = -1;
  for (let k = 0; k < values.length; k++) {
    if (values[k]! < v || (inclusive && values[k]! === v)) i = k;
    else break;
  }
  if (i === -1) return 0;
  if (i === values.length - 1) return 1;
  const from = values[i]!;
  const to = values[i + 1]!;
  const lowShare = SKETCH_PERCENTILES[i]! / 100;
  const highShare = SKETCH_PERCENTILES[i + 1]! / 100;
  if (to <= from) return highShare;
  return lowShare + ((highShare - lowShare) * (v - from)) / (to - from);
}
