import { performance } from 'node:perf_hooks';
import type { Executor, ExecutorContext } from '../types.js';
import { sleepUntil } from './clock.js';
import { ABANDON_AFTER_MS, type ExecutorHooks, VuPool } from './vu-pool.js';

/** The time window every executor shares, in milliseconds. */
export interface ExecutorTiming {
  /** Wait after run() is called before the first iteration (k6's `startTime`). */
  startTimeMs: number;
  /** How long iterations keep starting (`duration`, or the sum of the stages). */
  durationMs: number;
  /** After the duration, how long running iterations may go on before their signal aborts. */
  gracefulStopMs: number;
}

/** How one executor starts iterations, given its pool. */
export interface ExecutorPhases {
  /** Starts iterations from `startAt` (a performance.now() value) to the end of the duration or the hard stop. */
  drive(startAt: number): Promise<void>;
  /** No new iteration from now on (the duration is over, or the run stops). */
  stopStarting(): void;
}

/** An executor whose VUs can be initialised before the run starts its clock. */
export interface ScenarioExecutor extends Executor {
  /** The executor's name (as in scenario files). */
  readonly type: string;
  /**
   * Initialises the VUs needed from the start (k6's init phase; logins and WebSockets for the user
   * model). run() does it if nobody did; a run with several scenarios calls prepare() on all of
   * them first so that their startTime offsets line up. Pass the same context to run().
   */
  prepare(ctx: ExecutorContext): Promise<void>;
}

/**
 * The life every executor shares: prepare the pool, wait `startTime`, drive, then the graceful
 * stop (running iterations get `gracefulStop`, then their signal aborts) and the hard stop.
 */
export abstract class ExecutorBase implements ScenarioExecutor {
  abstract readonly type: string;
  protected abstract readonly timing: ExecutorTiming;
  protected abstract readonly openModel: boolean;
  private preparation: { pool: VuPool; ready: Promise<void> } | undefined;
  private started = false;

  constructor(protected readonly hooks: ExecutorHooks = {}) {}

  /** VUs initialised before the start, and the most the scenario may have. */
  protected abstract vuCounts(): { upfront: number; max: number };

  protected abstract phases(pool: VuPool): ExecutorPhases;

  /** startTime + duration + gracefulStop (VU initialisation before the start not included). */
  maxDurationMs(): number {
    const { startTimeMs, durationMs, gracefulStopMs } = this.timing;
    return startTimeMs + durationMs + gracefulStopMs;
  }

  prepare(ctx: ExecutorContext): Promise<void> {
    return this.pooled(ctx).ready;
  }

  async run(ctx: ExecutorContext): Promise<void> {
    if (this.started) throw new Error(`${this.type} executor of scenario ${ctx.scenario} has already run`);
    this.started = true;
    const calledAt = performance.now();
    const { pool, ready } = this.pooled(ctx);
    const phases = this.phases(pool);
    try {
      await ready;
      await sleepUntil(calledAt + this.timing.startTimeMs, pool.signal);
      if (pool.stopped) return;
      const startAt = performance.now();
      await phases.drive(startAt);
      phases.stopStarting();
      const { durationMs, gracefulStopMs } = this.timing;
      await idleBy(pool, startAt + durationMs + gracefulStopMs, pool.signal);
    } finally {
      phases.stopStarting();
      pool.stopNow();
      await idleBy(pool, performance.now() + ABANDON_AFTER_MS);
      pool.finish();
    }
  }

  private pooled(ctx: ExecutorContext): { pool: VuPool; ready: Promise<void> } {
    if (!this.preparation) {
      const { upfront, max } = this.vuCounts();
      const pool = new VuPool(ctx, max, this.openModel, this.hooks);
      const ready = pool.initUpfront(upfront);
      // run() awaits it; a prepare() nobody awaited must not become an unhandled rejection first.
      ready.catch(() => undefined);
      this.preparation = { pool, ready };
    }
    return this.preparation;
  }
}

/** Resolves when the pool is idle, at `deadline`, or when `signal` aborts, whichever is first. */
async function idleBy(pool: VuPool, deadline: number, signal?: AbortSignal): Promise<void> {
  const cancel = new AbortController();
  const onAbort = () => cancel.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) cancel.abort();
  try {
    await Promise.race([pool.whenIdle(), sleepUntil(deadline, cancel.signal)]);
  } finally {
    cancel.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}
