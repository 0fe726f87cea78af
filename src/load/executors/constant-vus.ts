import { Type } from '@sinclair/typebox';
import { Duration, formatDuration, parseDuration } from '../../config/duration.js';
import { sleepUntil } from './clock.js';
import { defineExecutor, k6Duration, positiveDurationIssues } from './define-executor.js';
import { ExecutorBase, type ExecutorPhases, type ExecutorTiming } from './executor-base.js';
import { LoopingVus } from './looping-vus.js';
import type { ExecutorHooks, VuPool } from './vu-pool.js';

// k6's constant-vus: a fixed number of VUs loop for a duration (closed model). The executor
// class, then its definition: scenario-file options, defaults, checks, overrides, k6 export.

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

const DEFAULTS = { vus: 1 } as const;

export const constantVus = defineExecutor({
  type: 'constant-vus',
  description: 'A fixed number of VUs run iterations back to back for a duration (closed model).',
  openModel: false,
  fields: {
    vus: Type.Optional(Type.Integer({ minimum: 1, description: 'VUs looping at once. Default: 1.' })),
    duration: Duration({ description: 'How long the VUs keep starting iterations.' }),
  },
  defaults: DEFAULTS,
  checks: (entry) => positiveDurationIssues('duration', entry.duration),
  maxVus: (entry) => entry.vus ?? DEFAULTS.vus,
  lengthMs: (entry) => parseDuration(entry.duration),
  override: (_entry, { users, durationMs }) => ({
    ...(users !== undefined && { vus: users }),
    ...(durationMs !== undefined && { duration: formatDuration(durationMs) }),
  }),
  k6: (entry) => ({ vus: entry.vus, duration: k6Duration(entry.duration) }),
  create: (entry, times, hooks) =>
    new ConstantVus(
      { ...times, vus: entry.vus ?? DEFAULTS.vus, durationMs: parseDuration(entry.duration) },
      hooks,
    ),
});
