import { performance } from 'node:perf_hooks';
import { type Counter, type Gauge, METRIC, type Tags, type Trend } from '../../metrics/api.js';
import type { Behaviour, ExecutorContext, Iteration } from '../types.js';

/** What the run may plug into an executor besides the contract's context. */
export interface ExecutorHooks {
  /**
   * An iteration rejected (it still counts as a complete iteration, as in k6). Default: the first
   * error of the scenario becomes a process warning, the rest are left to the behaviour's metrics.
   */
  onIterationError?(error: unknown, iteration: Iteration): void;
  /** A VU failed to initialise during the run (open model); the iteration waiting for it is dropped. */
  onVuInitError?(error: unknown, vu: number): void;
  /** VUs initialised at once before the start (logins against the server); default 32. */
  initConcurrency?: number;
}

/**
 * After the hard stop aborted every iteration's signal, how long to wait for behaviours to notice
 * before the run goes on without them (one that ignores its signal must not hang the run; what it
 * does afterwards is not recorded).
 */
export const ABANDON_AFTER_MS = 1_000;
const DEFAULT_INIT_CONCURRENCY = 32;

/** One virtual user of a scenario; `id` is stable for its life. */
export class Vu {
  ready = false;
  /** Aborts the iteration in progress: at the hard stop, or when a ramp-down's grace ran out. */
  controller = new AbortController();
  constructor(readonly id: number) {}
}

/**
 * The VUs of one scenario and everything every executor does with them the same way: initialising
 * them, running one iteration with k6's built-in metrics, the hard stop, and waiting until nothing
 * runs. When iterations start is each executor's business.
 */
export class VuPool {
  readonly vus: readonly Vu[];
  private readonly behaviour: Behaviour;
  private readonly scenario: string;
  private readonly openModel: boolean;
  private readonly tags: Tags;
  private readonly iterations: Counter;
  private readonly iterationDuration: Trend;
  private readonly vusGauge: Gauge;
  private readonly vusMaxGauge: Gauge;
  private readonly dropped: Counter;
  private readonly hooks: ExecutorHooks;
  private readonly hardStop = new AbortController();
  private readonly unlinkRunSignal: () => void;
  /** Ids never initialised (or whose initialisation failed), lowest last. */
  private readonly uninitialised: number[];
  private nextIteration = 0;
  private inFlight = 0;
  private initialisingCount = 0;
  private readyCount = 0;
  private idleWaiters: (() => void)[] = [];
  private warnedAboutErrors = false;

  constructor(ctx: ExecutorContext, maxVus: number, openModel: boolean, hooks: ExecutorHooks = {}) {
    this.vus = Array.from({ length: maxVus }, (_, id) => new Vu(id));
    this.uninitialised = Array.from({ length: maxVus }, (_, i) => maxVus - 1 - i);
    this.behaviour = ctx.behaviour;
    this.scenario = ctx.scenario;
    this.openModel = openModel;
    this.hooks = hooks;
    this.tags = Object.freeze({ scenario: ctx.scenario });
    this.iterations = ctx.metrics.counter(METRIC.iterations);
    this.iterationDuration = ctx.metrics.trend(METRIC.iterationDuration);
    this.vusGauge = ctx.metrics.gauge(METRIC.vus);
    this.vusMaxGauge = ctx.metrics.gauge(METRIC.vusMax);
    this.dropped = ctx.metrics.counter(METRIC.droppedIterations);
    const onAbort = () => this.stopNow();
    if (ctx.signal.aborted) this.stopNow();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    this.unlinkRunSignal = () => ctx.signal.removeEventListener('abort', onAbort);
  }

  /** Aborted by the hard stop: the run's signal, or the end of the graceful stop. */
  get signal(): AbortSignal {
    return this.hardStop.signal;
  }

  get stopped(): boolean {
    return this.hardStop.signal.aborted;
  }

  /** VUs being initialised right now. */
  get initialising(): number {
    return this.initialisingCount;
  }

  /** True while some VU has never been initialised (maxVUs not reached). */
  get canGrow(): boolean {
    return this.uninitialised.length > 0 && !this.stopped;
  }

  /**
   * Initialises VUs 0..count-1 before the start (k6's init phase), `initConcurrency` at a time.
   * Throws if one fails (the scenario cannot run as configured); returns quietly if stopped.
   */
  async initUpfront(count: number): Promise<void> {
    const concurrency = Math.max(1, this.hooks.initConcurrency ?? DEFAULT_INIT_CONCURRENCY);
    let failure: unknown;
    const worker = async () => {
      while (failure === undefined && !this.stopped && this.readyCount + this.initialisingCount < count) {
        const id = this.uninitialised.pop();
        if (id === undefined) return;
        try {
          await this.initVu(id);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    if (failure !== undefined && !this.stopped) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      throw new Error(`scenario ${this.scenario}: a VU failed to initialise: ${reason}`, { cause: failure });
    }
  }

  /** Initialises the lowest uninitialised VU; undefined if it failed (reported) or the pool stopped. */
  async initNext(): Promise<Vu | undefined> {
    const id = this.uninitialised.pop();
    if (id === undefined || this.stopped) return undefined;
    try {
      return await this.initVu(id);
    } catch (error) {
      if (!this.stopped) this.hooks.onVuInitError?.(error, id);
      return undefined;
    }
  }

  /**
   * Runs one iteration on `vu` and records it: `iterations` and `iteration_duration` (from
   * `intendedStart` in the open model, from the actual start otherwise) for every iteration that
   * ended before its signal aborted, as k6 leaves out interrupted ones. Never rejects.
   */
  async iterate(vu: Vu, intendedStart?: number): Promise<void> {
    const startedAt = performance.now();
    const iteration: Iteration = {
      scenario: this.scenario,
      vu: vu.id,
      iteration: this.nextIteration++,
      intendedStart: intendedStart ?? startedAt,
      openModel: this.openModel,
    };
    const signal = vu.controller.signal;
    this.inFlight += 1;
    try {
      await this.behaviour.iterate(iteration, signal);
      if (!signal.aborted) this.record(iteration);
    } catch (error) {
      if (!signal.aborted) {
        this.record(iteration);
        this.reportError(error, iteration);
      }
    } finally {
      this.inFlight -= 1;
      this.wakeIfIdle();
    }
  }

  /** Cuts `vu`'s iteration in progress (its graceful ramp-down ran out). */
  interrupt(vu: Vu): void {
    vu.controller.abort();
  }

  /** A fresh signal for `vu`'s next iteration if its last one was cut (never after the hard stop). */
  renewSignal(vu: Vu): void {
    if (vu.controller.signal.aborted && !this.stopped) vu.controller = new AbortController();
  }

  /** Hard stop: every iteration's signal and every initialisation in progress abort now. */
  stopNow(): void {
    if (this.stopped) return;
    this.hardStop.abort();
    for (const vu of this.vus) vu.controller.abort();
  }

  /** Resolves once no iteration runs and no VU initialises. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * `vus`: active VUs as k6 counts them. The closed model sets it to its looping VUs; in the open
   * model every initialised VU is active (waiting in the pool counts), so the pool sets it itself.
   */
  setActiveVus(count: number): void {
    this.vusGauge.set(count, this.tags);
  }

  /** Due iterations that never started (`dropped_iterations`). */
  countDropped(count: number): void {
    this.dropped.add(count, this.tags);
  }

  /** End of the run: no VU is active any more; the pool stops listening to the run's signal. */
  finish(): void {
    this.setActiveVus(0);
    this.unlinkRunSignal();
  }

  private async initVu(id: number): Promise<Vu> {
    const vu = this.vus[id] as Vu;
    this.initialisingCount += 1;
    try {
      await this.behaviour.initVu(id, this.hardStop.signal);
      vu.ready = true;
      this.readyCount += 1;
      this.vusMaxGauge.set(this.readyCount, this.tags);
      if (this.openModel) this.setActiveVus(this.readyCount);
      return vu;
    } catch (error) {
      this.uninitialised.push(id);
      throw error;
    } finally {
      this.initialisingCount -= 1;
      this.wakeIfIdle();
    }
  }

  private record(iteration: Iteration): void {
    this.iterations.add(1, this.tags);
    this.iterationDuration.add(performance.now() - iteration.intendedStart, this.tags);
  }

  private reportError(error: unknown, iteration: Iteration): void {
    if (this.hooks.onIterationError) {
      this.hooks.onIterationError(error, iteration);
      return;
    }
    if (this.warnedAboutErrors) return;
    this.warnedAboutErrors = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `scenario ${this.scenario}: iteration ${iteration.iteration} failed: ${reason} (further failures not shown)`,
    );
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.initialisingCount === 0;
  }

  private wakeIfIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
