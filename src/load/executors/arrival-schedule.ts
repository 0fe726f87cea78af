// When each iteration of an arrival-rate executor is due, as offsets in milliseconds from the
// executor's start. Pure functions of the options: the real-time loop (arrivals.ts) only follows
// them, so a late wake-up never shifts the schedule and the count is exact.

/** A rate segment: the rate goes linearly from where the previous stage ended to `target`. */
export interface RateStage {
  durationMs: number;
  /** Iterations per `timeUnit` at the end of the stage. */
  target: number;
}

/** Slack for the float sums of stage areas (a whole iteration must not be lost to 99.99999999). */
const AREA_EPSILON = 1e-9;

/**
 * constant-arrival-rate: iteration i at i × timeUnit / rate (the first at 0, as k6), for every
 * offset before the end of the duration. Computed from i each time, never accumulated, so the
 * offsets do not drift: `rate` 100 per 1 s for 2 s → 200 offsets, 0 to 1990 ms.
 */
export function* constantArrivals(rate: number, timeUnitMs: number, durationMs: number): Generator<number> {
  if (!(rate > 0)) return;
  for (let i = 0; ; i++) {
    const offset = (i * timeUnitMs) / rate;
    if (offset >= durationMs) return;
    yield offset;
  }
}

/**
 * ramping-arrival-rate: the rate changes linearly within each stage, and iteration n (from 1) is
 * due when the integral of the rate reaches n — k6's algorithm (RampingArrivalRateConfig.cal):
 * within a ramp from rate a to b (per ms) over d ms, the area after x ms is a·x + (b−a)·x²/(2d),
 * solved for x. A stage of duration 0 changes the rate at once.
 */
export function* rampingArrivals(
  startRate: number,
  timeUnitMs: number,
  stages: readonly RateStage[],
): Generator<number> {
  let from = startRate / timeUnitMs;
  let stageStart = 0;
  let doneSoFar = 0;
  let endCount = 0;
  let n = 1;
  for (const stage of stages) {
    const to = stage.target / timeUnitMs;
    const d = stage.durationMs;
    if (from !== to) {
      endCount += d * ((to - from) / 2 + from);
      for (; n <= endCount + AREA_EPSILON; n++) {
        const area = n - doneSoFar;
        const x =
          (from * d - Math.sqrt(Math.max(0, d * (from * from * d + 2 * area * (to - from))))) / (from - to);
        yield stageStart + Math.min(Math.max(x, 0), d);
      }
    } else {
      endCount += d * to;
      for (; n <= endCount + AREA_EPSILON; n++) yield stageStart + Math.min((n - doneSoFar) / to, d);
    }
    doneSoFar = endCount;
    from = to;
    stageStart += d;
  }
}
