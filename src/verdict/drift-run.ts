import type { TickListener } from '../metrics/heartbeat.js';
import type { StackDocument } from '../stack/stack-document.js';
import type { DriftReport } from '../summary/drift-schema.js';
import { driftReport } from './drift.js';
import { driftProbes } from './drift-probes.js';
import { DriftRecorder } from './drift-recorder.js';
import { type DriftSection, driftSettings } from './drift-section.js';

// The one hook a run needs for drift: a heartbeat listener while the load runs, and the report at
// the end — or none when the run was shorter than the section's minLength (a smoke run of a soak).

export interface DriftSession {
  listener: TickListener;
  /** The report, or undefined when the run (lengthMs) was shorter than minLength. */
  finish(lengthMs: number): Promise<DriftReport | undefined>;
}

export function startDrift(section: DriftSection, stack: StackDocument): DriftSession {
  const settings = driftSettings(section);
  const recorder = new DriftRecorder({
    windowMs: settings.windowMs,
    warmupMs: settings.warmupMs,
    probes: driftProbes(stack),
  });
  return {
    listener: recorder.listener,
    async finish(lengthMs) {
      const recorded = await recorder.finish();
      if (lengthMs < settings.minLengthMs) return undefined;
      return driftReport({
        windowMs: settings.windowMs,
        warmupMs: settings.warmupMs,
        recorded,
        thresholds: settings.thresholds,
      });
    },
  };
}
