import { sleepUntil } from './clock.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import { LoopingVus } from './looping-vus.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

export interface ConstantVusConfig {
  vus: number;
  durationMs: number;
  gracefulStopMs: number;
  startTimeMs: number;
}

/** k6 constant-vus: `vus` VUs run iterations back to back for `duration` (closed model). */
export class ConstantVus extends ExecutorBase {
  readonly type = 'constant-vus';
  protected readonly openModel = false;
  protected readonly timing: ExecutorTiming;

  constructor(
    readonly config: ConstantVusConfig,
    hooks?: ExecutorHooks,
  ) {
    super(hooks);
    this.timing = config;
  }

  protected vuCounts() {
    return { upfront: this.config.vus, max: this.config.vus };
  }

  protected phases(pool: VuPool): ExecutorPhases {
    const looping = new LoopingVus(pool);
    return {
      drive: async (startAt) => {
        looping.setActive(this.config.vus, 0);
        await sleepUntil(startAt + this.config.durationMs, pool.signal);
      },
      stopStarting: () => looping.stop(),
    };
  }
}
