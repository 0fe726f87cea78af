import type { ExecutorContext } from '../types.js';
import { LoopingVus } from './looping-vus.js';
import { ABANDON_AFTER_MS, type ExecutorHooks, VuPool } from './vu-pool.js';

// k6's externally-controlled executor: VUs whose number a controller sets at run time (the
// capacity search adds and removes users every second); no duration of its own, it runs until
// the controller stops it. Not a scenario file's executor. Built from the other executors'
// own parts, the VU pool (initialisation, iteration metrics, hard stop) and the closed-model
// looping VUs (the lowest ids loop; a removed user finishes its iteration within the grace).
// Users are initialised (logged in, WebSocket open) as the target first needs them and stay so
// once removed, as in k6: a removed user stops acting, like someone who went idle.

const INIT_CONCURRENCY = 8;
const INIT_RETRY_MS = 1_000;

export class ExternallyControlled {
  readonly type = 'externally-controlled';
  private readonly pool: VuPool;
  private readonly looping: LoopingVus;
  private target = 0;
  private initialising = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    ctx: ExecutorContext,
    readonly maxUsers: number,
    private readonly options: { graceMs?: number; hooks?: ExecutorHooks } = {},
  ) {
    this.pool = new VuPool(ctx, maxUsers, false, options.hooks);
    this.looping = new LoopingVus(this.pool);
  }

  /** Users looping right now (initialised and active). */
  get active(): number {
    return this.looping.active;
  }

  /** Users the controller asked for. */
  get targetUsers(): number {
    return this.target;
  }

  /** Asks for `users` active users: removed at once, added as fast as they can log in. */
  setTarget(users: number): void {
    if (this.stopped) return;
    this.target = Math.max(0, Math.min(this.maxUsers, Math.round(users)));
    this.reconcile();
  }

  /** Stops every user: iterations in progress get `ABANDON_AFTER_MS`, then the pool is done. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.looping.stop();
    this.pool.stopNow();
    await Promise.race([this.pool.whenIdle(), new Promise((r) => setTimeout(r, ABANDON_AFTER_MS).unref())]);
    this.pool.finish();
  }

  private readyPrefix(): number {
    let n = 0;
    while (n < this.pool.vus.length && this.pool.vus[n]!.ready) n++;
    return n;
  }

  private reconcile(): void {
    if (this.stopped) return;
    this.looping.setActive(Math.min(this.target, this.readyPrefix()), this.options.graceMs ?? 1_000);
    while (
      this.initialising < INIT_CONCURRENCY &&
      this.readyPrefix() + this.initialising < this.target &&
      this.pool.canGrow
    ) {
      this.initialising += 1;
      void this.pool.initNext().then((vu) => {
        this.initialising -= 1;
        if (vu === undefined && !this.stopped) {
          // Failed (reported through the hooks): try again a little later, not in a tight loop.
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.reconcile(), INIT_RETRY_MS);
          this.retryTimer.unref();
          return;
        }
        this.reconcile();
      });
    }
  }
}
