import { sleepUntil } from './clock.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import { LoopingVus } from './looping-vus.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

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
