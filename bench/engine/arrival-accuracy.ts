import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ConstantArrivalRate } from '../../src/load/executors/constant-arrival-rate.js';
import type { Behaviour } from '../../src/load/types.js';
import { METRIC } from '../../src/metrics/api.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import type { Section, SectionOptions } from './sections.js';

// Achieved vs target arrival rate: constant-arrival-rate at 2,000/s with a behaviour that does
// nothing, so every deviation is the scheduler's. "Achieved" counts iterations that really
// started (by the clock) within the window, not the schedule's length, which is exact by design.

const RATE = 2000;
const DEFAULT_SECONDS = 30;

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function section({ durationS, say }: SectionOptions): Promise<void> {
  const seconds = durationS ?? DEFAULT_SECONDS;
  const expected = RATE * seconds;
  const startedAt = new Float64Array(expected + 1);
  const intended = new Float64Array(expected + 1);
  let started = 0;
  const behaviour: Behaviour = {
    initVu: async () => undefined,
    iterate: async (iteration) => {
      if (started < startedAt.length) {
        startedAt[started] = performance.now();
        intended[started] = iteration.intendedStart;
      }
      started += 1;
    },
    close: async () => undefined,
  };
  const metrics = new MetricsRegistry();
  const executor = new ConstantArrivalRate({
    rate: RATE,
    timeUnitMs: 1000,
    durationMs: seconds * 1000,
    preAllocatedVUs: 100,
    maxVUs: 1000,
    gracefulStopMs: 5000,
    startTimeMs: 0,
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const ctx = { scenario: 'arrival', behaviour, metrics, signal: new AbortController().signal };
  await executor.prepare(ctx);
  await executor.run(ctx);
  loopDelay.disable();

  const droppedSnapshot = metrics.snapshot()[METRIC.droppedIterations];
  const dropped = droppedSnapshot && 'count' in droppedSnapshot ? droppedSnapshot.count : 0;
  const origin = intended[0] as number;
  const count = Math.min(started, startedAt.length);
  let inWindow = 0;
  const lateness = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if ((startedAt[i] as number) - origin < seconds * 1000) inWindow += 1;
    lateness[i] = (startedAt[i] as number) - (intended[i] as number);
  }
  lateness.sort();
  const achieved = inWindow / seconds;
  const error = ((achieved - RATE) / RATE) * 100;
  say(`arrival-accuracy: constant-arrival-rate ${RATE}/s for ${seconds} s, trivial behaviour`);
  say(
    `  scheduled ${expected.toLocaleString('en-US')}, started ${started.toLocaleString('en-US')}, dropped ${dropped}`,
  );
  say(
    `  achieved ${achieved.toFixed(1)}/s (started within the window by the clock), error ${error.toFixed(3)} %  goal within 1 %: ${Math.abs(error) <= 1 ? 'met' : 'NOT met'}`,
  );
  say(
    `  start lateness p50 ${quantile(lateness, 0.5).toFixed(2)} ms, p99 ${quantile(lateness, 0.99).toFixed(2)} ms, max ${quantile(lateness, 1).toFixed(2)} ms; event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms`,
  );
}

export const arrivalAccuracy: Section = {
  name: 'arrival-accuracy',
  title: 'achieved vs target arrival rate at 2,000/s (goal within 1 %)',
  run: section,
};
