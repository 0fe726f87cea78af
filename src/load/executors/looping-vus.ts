import { performance } from 'node:perf_hooks';
import { yieldToEventLoop } from './clock.js';
import type { Vu, VuPool } from './vu-pool.js';

/**
 * A behaviour whose iterations settle without real I/O would keep a VU looping on microtasks and
 * starve timers (the end of the duration would never fire): each VU gives the event loop a turn
 * at least this often.
 */
const YIELD_EVERY_MS = 5;

interface LoopingVu {
  vu: Vu;
  /** Meant to be looping (the executor's VU count includes it). */
  active: boolean;
  looping: boolean;
  inIteration: boolean;
  /** Cuts the iteration of a VU ramped down once its gracefulRampDown runs out. */
  rampDownTimer: NodeJS.Timeout | undefined;
}

/**
 * The closed model: each active VU runs iterations back to back. The active VUs are always the
 * lowest ids: ramping up activates the lowest inactive VU (taking back one still finishing its
 * last iteration, as k6 reuses them), ramping down deactivates the highest active one, which
 * finishes its iteration within the graceful ramp-down or is cut.
 */
export class LoopingVus {
  private readonly slots: LoopingVu[];
  private activeCount = 0;
  private accepting = true;

  constructor(private readonly pool: VuPool) {
    this.slots = pool.vus.map((vu) => ({
      vu,
      active: false,
      looping: false,
      inIteration: false,
      rampDownTimer: undefined,
    }));
    // Ramp-down timers end with the pool: after the hard stop they would only hold the process.
    pool.signal.addEventListener('abort', () => this.clearRampDownTimers(), { once: true });
  }

  get active(): number {
    return this.activeCount;
  }

  /** Brings the number of looping VUs to `target`; VUs beyond it get `gracefulRampDownMs`. */
  setActive(target: number, gracefulRampDownMs: number): void {
    if (!this.accepting) return;
    const wanted = Math.min(Math.max(0, target), this.slots.length);
    while (this.activeCount < wanted) this.activate(this.slots[this.activeCount++] as LoopingVu);
    while (this.activeCount > wanted)
      this.deactivate(this.slots[--this.activeCount] as LoopingVu, gracefulRampDownMs);
    this.pool.setActiveVus(this.activeCount);
  }

  /**
   * No new iteration: each VU ends its loop after the iteration in progress. A VU already ramped
   * down keeps its own deadline; the graceful stop's end cuts everyone else.
   */
  stop(): void {
    this.accepting = false;
    for (const slot of this.slots) slot.active = false;
    this.activeCount = 0;
  }

  private clearRampDownTimers(): void {
    for (const slot of this.slots) clearTimeout(slot.rampDownTimer);
  }

  private activate(slot: LoopingVu): void {
    slot.active = true;
    clearTimeout(slot.rampDownTimer);
    slot.rampDownTimer = undefined;
    if (!slot.looping) void this.loop(slot);
  }

  private deactivate(slot: LoopingVu, graceMs: number): void {
    slot.active = false;
    if (!slot.inIteration) return;
    slot.rampDownTimer = setTimeout(() => this.pool.interrupt(slot.vu), graceMs);
  }

  private async loop(slot: LoopingVu): Promise<void> {
    slot.looping = true;
    let lastYield = performance.now();
    while (slot.active && this.accepting && !this.pool.stopped) {
      this.pool.renewSignal(slot.vu);
      slot.inIteration = true;
      await this.pool.iterate(slot.vu);
      slot.inIteration = false;
      clearTimeout(slot.rampDownTimer);
      slot.rampDownTimer = undefined;
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    slot.looping = false;
  }
}
