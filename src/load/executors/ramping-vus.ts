import { Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import { sleepUntil } from './clock.js';
import { defineExecutor, optionalK6Duration } from './define-executor.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import { LoopingVus } from './looping-vus.js';
import { k6Stages, parseStages, scaleStages, stagesIssues, stagesLengthMs, VuStageSchema } from './stages.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

// k6's ramping-vus: a number of looping VUs that follows stages (closed model). The executor
// class, then its definition: scenario-file options, defaults, checks, overrides, k6 export.

export interface VuStage {
  durationMs: number;
  target: number;
}

export interface RampingVusConfig {
  startVUs: number;
  stages: readonly VuStage[];
  gracefulRampDownMs: number;
  gracefulStopMs: number;
  startTimeMs: number;
}

/** A change of the VU count at `atMs` after the start. */
export interface VuStep {
  atMs: number;
  vus: number;
}

/**
 * When the VU count changes, as k6 plans it (RampingVUsConfig.getRawExecutionSteps): within a
 * stage from a to b VUs over d, the count moves one VU at a time, the k-th change at
 * stageStart + d·k/|b−a| (so a ramp 0 → 10 over 10 s adds VU 1 at 1 s and VU 10 at 10 s); a
 * stage of duration 0 jumps at its start. The first step is `startVUs` at 0.
 */
export function rampingVuSteps(startVUs: number, stages: readonly VuStage[]): VuStep[] {
  const steps: VuStep[] = [{ atMs: 0, vus: startVUs }];
  let from = startVUs;
  let stageStart = 0;
  for (const { durationMs, target } of stages) {
    const change = Math.abs(target - from);
    if (change > 0 && durationMs === 0) steps.push({ atMs: stageStart, vus: target });
    else {
      const direction = Math.sign(target - from);
      for (let k = 1; k <= change; k++)
        steps.push({ atMs: stageStart + (durationMs * k) / change, vus: from + direction * k });
    }
    from = target;
    stageStart += durationMs;
  }
  return steps;
}

/**
 * k6 ramping-vus: the number of looping VUs follows the stages (closed model). VUs taken out by
 * a ramp-down finish their iteration within `gracefulRampDown`; all VUs k6 would need
 * (max of startVUs and the targets) are initialised before the start.
 */
export class RampingVus extends ExecutorBase {
  readonly type = 'ramping-vus';
  protected readonly openModel = false;
  protected readonly timing: ExecutorTiming;
  private readonly steps: VuStep[];

  constructor(
    readonly config: RampingVusConfig,
    hooks?: ExecutorHooks,
  ) {
    super(hooks);
    const durationMs = config.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
    this.timing = { ...config, durationMs };
    this.steps = rampingVuSteps(config.startVUs, config.stages);
  }

  protected vuCounts() {
    const max = Math.max(this.config.startVUs, ...this.config.stages.map((stage) => stage.target));
    return { upfront: max, max };
  }

  protected phases(pool: VuPool): ExecutorPhases {
    const looping = new LoopingVus(pool);
    return {
      drive: async (startAt) => {
        for (const step of this.steps) {
          await sleepUntil(startAt + step.atMs, pool.signal);
          if (pool.stopped) return;
          looping.setActive(step.vus, this.config.gracefulRampDownMs);
        }
        await sleepUntil(startAt + this.timing.durationMs, pool.signal);
      },
      stopStarting: () => looping.stop(),
    };
  }
}

const DEFAULTS = { startVUs: 1, gracefulRampDown: '30s' } as const;

/** The most VUs the stages reach (k6 initialises them all before the start). */
function peakVus(entry: { startVUs?: number; stages: readonly { target: number }[] }): number {
  return Math.max(entry.startVUs ?? DEFAULTS.startVUs, ...entry.stages.map((s) => s.target));
}

export const rampingVus = defineExecutor({
  type: 'ramping-vus',
  description: 'A number of looping VUs that follows the stages (closed model).',
  openModel: false,
  fields: {
    startVUs: Type.Optional(
      Type.Integer({ minimum: 0, description: 'VUs looping at the start. Default: 1.' }),
    ),
    stages: Type.Array(VuStageSchema, { minItems: 1, description: 'Ramps of the VU count, in order.' }),
    gracefulRampDown: Type.Optional(
      Duration({
        description:
          'When the VU count goes down, a VU taken out may finish its iteration within this time; then it is interrupted. Default: 30s.',
      }),
    ),
  },
  defaults: DEFAULTS,
  checks: (entry) => stagesIssues(entry.startVUs ?? DEFAULTS.startVUs, 'startVUs', entry.stages),
  maxVus: peakVus,
  lengthMs: (entry) => stagesLengthMs(entry.stages),
  // --users scales the stage targets so that the peak is N; --duration scales the stages.
  override: (entry, { users, durationMs }) => {
    const peak = peakVus(entry);
    const factor = users !== undefined && peak > 0 ? users / peak : 1;
    return {
      startVUs: Math.round((entry.startVUs ?? DEFAULTS.startVUs) * factor),
      stages: scaleStages(entry.stages, durationMs).map((s) => ({
        ...s,
        target: Math.round(s.target * factor),
      })),
    };
  },
  k6: (entry) => ({
    startVUs: entry.startVUs,
    stages: k6Stages(entry.stages),
    gracefulRampDown: optionalK6Duration(entry.gracefulRampDown),
  }),
  create: (entry, times, hooks) =>
    new RampingVus(
      {
        ...times,
        startVUs: entry.startVUs ?? DEFAULTS.startVUs,
        stages: parseStages(entry.stages),
        gracefulRampDownMs: parseDuration(entry.gracefulRampDown ?? DEFAULTS.gracefulRampDown),
      },
      hooks,
    ),
});
