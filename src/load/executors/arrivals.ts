import { performance } from 'node:perf_hooks';
import { sleepUntil } from './clock.js';
import type { Vu, VuPool } from './vu-pool.js';

/**
 * The open model's real-time loop. It sleeps until the next offset's absolute deadline
 * (`startAt + offset` on performance.now()), never for "one period", so lateness never
 * accumulates; when it wakes late (a 1 ms timer, a busy event loop, a GC pause) it starts every
 * iteration already due in that one tick, each with its own scheduled time as `intendedStart`.
 * A setTimeout per iteration would instead drift by each timer's lateness and lose rate.
 * Returns when the offsets run out or `signal` aborts.
 */
export async function runArrivals(
  offsets: Iterable<number>,
  startAt: number,
  onDue: (intendedStart: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const schedule = offsets[Symbol.iterator]();
  let next = schedule.next();
  while (!next.done && !signal.aborted) {
    const now = performance.now();
    if (startAt + next.value > now) {
      await sleepUntil(startAt + next.value, signal);
      continue;
    }
    while (!next.done && startAt + next.value <= now && !signal.aborted) {
      onDue(startAt + next.value);
      next = schedule.next();
    }
  }
}

/** First in, first out, without Array#shift's copying on long queues. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/**
 * Hands due iterations to free VUs. With no VU free it initialises another one (up to maxVUs) and
 * the iteration waits for the first VU that frees up — the new one or a busy one finishing first —
 * keeping its scheduled `intendedStart`, so that wait shows in its latency. With no VU free and
 * maxVUs initialised (or initialising for earlier waiting iterations), the iteration is dropped and
 * counted in `dropped_iterations`, as k6 does. Free VUs are used in turn (FIFO), so the work spreads
 * over every simulated user.
 */
export class ArrivalDispatcher {
  private readonly free = new Fifo<Vu>();
  /** Intended starts of due iterations waiting for a VU being initialised; never more than those. */
  private readonly waiting = new Fifo<number>();
  private accepting = true;

  constructor(private readonly pool: VuPool) {
    for (const vu of pool.vus) if (vu.ready) this.free.push(vu);
  }

  /** An iteration is due now; `intendedStart` is its scheduled time. */
  due(intendedStart: number): void {
    if (!this.accepting) return;
    const vu = this.free.shift();
    if (vu !== undefined) this.start(vu, intendedStart);
    else if (this.pool.initialising > this.waiting.length) this.waiting.push(intendedStart);
    else if (this.pool.canGrow) {
      this.waiting.push(intendedStart);
      void this.grow();
    } else this.pool.countDropped(1);
  }

  /** The schedule is over: iterations still waiting for a VU never start and count as dropped. */
  stop(): void {
    if (!this.accepting) return;
    this.accepting = false;
    if (this.waiting.length > 0) this.pool.countDropped(this.waiting.length);
    this.waiting.clear();
  }

  private start(vu: Vu, intendedStart: number): void {
    void this.pool.iterate(vu, intendedStart).then(() => this.release(vu));
  }

  private release(vu: Vu): void {
    const intendedStart = this.accepting ? this.waiting.shift() : undefined;
    if (intendedStart !== undefined) this.start(vu, intendedStart);
    else this.free.push(vu);
  }

  private async grow(): Promise<void> {
    const vu = await this.pool.initNext();
    if (vu !== undefined) {
      this.release(vu);
      return;
    }
    // Initialisation failed: an iteration waiting beyond the VUs still initialising is dropped.
    if (this.accepting && this.waiting.length > this.pool.initialising) {
      this.waiting.shift();
      this.pool.countDropped(1);
    }
  }
}
