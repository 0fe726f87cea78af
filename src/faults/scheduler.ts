import { setTimeout as sleep } from 'node:timers/promises';
import type { TickListener } from '../metrics/heartbeat.js';
import type { RunningStack } from '../stack/provider.js';
import { ToxiproxyClient } from '../stack/toxiproxy-client.js';
import { type ExitCleanup, exitCleanup as processExitCleanup } from './exit-cleanup.js';
import type { FaultContext } from './kind.js';
import { faultKind } from './kinds/index.js';
import { catalogFromStack, type ResolvedTarget, resolveFaultTarget } from './targets.js';
import { singleToxiproxy, type ToxiproxyResolver } from './toxiproxy-for-proxy.js';
import type { ActiveFault, FaultEvent, FaultPlan, FaultWindow, PlannedFault } from './types.js';

// Runs a fault plan against a running stack: each fault is applied at its offset from the load's
// start and removed after its duration, on timers of its own (scheduled against the start, so
// they do not drift; a fault starts within a few ms of its offset unless the event loop stalls).
// Whatever happens — the load ends early, an error, SIGINT — stopAll() removes every fault in
// force; the kinds also leave a synchronous undo for process exit as a last resort.

/** Where fault events go: timeseries.ndjson's writer, or anything with the same method. */
export interface FaultEventSink {
  writeEvent(event: { type: string } & Record<string, unknown>): void;
}

export interface FaultSchedulerOptions {
  plan: FaultPlan;
  stack: RunningStack;
  /** The stack's Toxiproxy: a client, or a resolver by proxy name. Null: process faults only. */
  toxiproxy: ToxiproxyClient | ToxiproxyResolver | null;
  /** Receives `{type: 'fault', phase: 'start' | 'end', …}` at each fault's start and end. */
  events?: FaultEventSink;
  /** Destructive faults against this stack; default: allowed unless the provider is `existing`. */
  allowDestructive?: boolean;
  /** Aborting does what stopAll() does. */
  signal?: AbortSignal;
  /** Lines for the operator. */
  log?: (line: string) => void;
  /** The registry of exit-time undos (default: the process-wide one). */
  exitCleanup?: ExitCleanup;
}

type SlotState = 'pending' | 'applying' | 'active' | 'removing' | 'done' | 'skipped';

interface Slot {
  fault: PlannedFault;
  target: ResolvedTarget;
  state: SlotState;
  timer?: NodeJS.Timeout;
  applying?: Promise<ActiveFault | undefined>;
  removal?: Promise<void>;
  startedAt?: { offsetMs: number; wall: Date };
  affected: readonly string[];
  errors: string[];
}

const REMOVE_ATTEMPTS = 3;

export class FaultScheduler {
  private readonly slots: Slot[];
  private readonly recorded: FaultWindow[] = [];
  private readonly toxiproxy: ToxiproxyResolver;
  private readonly cleanup: ExitCleanup;
  private origin: number | undefined;
  private stopping: Promise<FaultWindow[]> | undefined;
  private settle: (() => void) | undefined;
  private readonly finished: Promise<void>;
  private readonly onAbort = () => void this.stopAll();

  /** Checks every fault's target against the stack; throws naming each one that cannot run. */
  constructor(private readonly options: FaultSchedulerOptions) {
    const { plan, stack } = options;
    const catalog = catalogFromStack(stack.document, { allowDestructive: options.allowDestructive });
    const problems: string[] = [];
    this.slots = [];
    for (const fault of plan.faults) {
      const kind = faultKind(fault.kind);
      const target = resolveFaultTarget(fault.target, catalog);
      if (!target)
        problems.push(`${fault.name}: the stack has no link, proxy or component "${fault.target}"`);
      else if (target.type === 'link' && options.toxiproxy === null)
        problems.push(`${fault.name}: ${fault.kind} needs Toxiproxy, and this stack has none`);
      if (kind.destructive && !catalog.destructiveAllowed)
        problems.push(
          `${fault.name}: ${fault.kind} is destructive, and destructive faults are not allowed here`,
        );
      if (target) this.slots.push({ fault, target, state: 'pending', affected: [], errors: [] });
    }
    if (problems.length > 0)
      throw new Error(`fault plan ${plan.name} cannot run:\n  ${problems.join('\n  ')}`);
    const client = options.toxiproxy;
    this.toxiproxy =
      client === null
        ? () => {
            throw new Error('this stack has no Toxiproxy');
          }
        : client instanceof ToxiproxyClient
          ? singleToxiproxy(client)
          : client;
    this.cleanup = options.exitCleanup ?? processExitCleanup;
    this.finished = new Promise((resolve) => {
      this.settle = resolve;
    });
    if (this.slots.length === 0) this.settle?.();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (options.signal?.aborted) this.onAbort();
  }

  /**
   * Starts the timeline. `origin` is performance.now() at the load's start (default: now);
   * faults whose offset has already passed start at once.
   */
  start(origin: number = performance.now()): void {
    if (this.origin !== undefined || this.stopping) return;
    this.origin = origin;
    for (const slot of this.slots) {
      slot.timer = setTimeout(() => this.begin(slot), this.delayUntil(slot.fault.startMs));
    }
  }

  /**
   * A heartbeat listener that starts the timeline on the first tick, with the load's start
   * worked out from the tick (so offsets stay right, but faults due in the first second start up
   * to a second late). Prefer start() at the load's start when the caller knows it.
   */
  tickListener(): TickListener {
    return (tick) => {
      if (this.origin === undefined) this.start(performance.now() - tick.elapsedMs);
    };
  }

  /** The windows of the faults applied so far (complete ones only), in plan order (by start). */
  get windows(): readonly FaultWindow[] {
    const order = (w: FaultWindow) => this.slots.findIndex((s) => s.fault.name === w.name);
    return [...this.recorded].sort((a, b) => order(a) - order(b));
  }

  /** Names of the faults in force right now (applied, not yet being removed). */
  get activeFaults(): readonly string[] {
    return this.slots.filter((s) => s.state === 'active').map((s) => s.fault.name);
  }

  /** Resolves when every fault has been applied and removed (or stopAll() finished). */
  async done(): Promise<FaultWindow[]> {
    await this.finished;
    return [...this.windows];
  }

  /**
   * Cancels the faults not yet started and removes every one in force (waiting for one being
   * applied to finish first). Idempotent; call it in a `finally`.
   */
  stopAll(): Promise<FaultWindow[]> {
    this.stopping ??= (async () => {
      this.options.signal?.removeEventListener('abort', this.onAbort);
      for (const slot of this.slots) {
        clearTimeout(slot.timer);
        if (slot.state === 'pending') slot.state = 'skipped';
      }
      await Promise.all(
        this.slots.filter((s) => s.state !== 'skipped').map((slot) => this.finish(slot, true)),
      );
      this.settle?.();
      return [...this.windows];
    })();
    return this.stopping;
  }

  private delayUntil(offsetMs: number): number {
    return Math.max(0, (this.origin ?? 0) + offsetMs - performance.now());
  }

  private now(): number {
    return performance.now() - (this.origin ?? performance.now());
  }

  private begin(slot: Slot): void {
    if (slot.state !== 'pending' || this.stopping) return;
    const { fault } = slot;
    slot.state = 'applying';
    slot.startedAt = { offsetMs: this.now(), wall: new Date() };
    this.event(slot, 'start', slot.startedAt);
    const context: FaultContext = {
      fault,
      target: slot.target,
      stack: this.options.stack,
      toxiproxy: this.toxiproxy,
      exitCleanup: this.cleanup,
    };
    slot.applying = faultKind(fault.kind)
      .apply(context)
      .then((active) => {
        slot.affected = active.affected;
        if (slot.state === 'applying') slot.state = 'active';
        return active;
      })
      .catch((error: unknown) => {
        slot.errors.push(`applying failed: ${message(error)}`);
        this.options.log?.(
          `fault ${fault.name}: applying ${fault.kind} to ${fault.target} failed: ${message(error)}`,
        );
        return undefined;
      });
    slot.timer = setTimeout(
      () => void this.finish(slot, false),
      this.delayUntil(fault.startMs + fault.durationMs),
    );
  }

  /** Removes the fault (once), records its window and writes its end event. */
  private finish(slot: Slot, interrupted: boolean): Promise<void> {
    if (slot.removal) return slot.removal;
    clearTimeout(slot.timer);
    slot.state = 'removing';
    slot.removal = (async () => {
      const active = await slot.applying;
      if (active) await this.remove(slot, active);
      const ended = { offsetMs: this.now(), wall: new Date() };
      this.record(slot, ended, interrupted);
      this.event(slot, 'end', ended);
      slot.state = 'done';
      if (this.slots.every((s) => s.state === 'done' || s.state === 'skipped')) this.settle?.();
    })();
    return slot.removal;
  }

  /** A removal that fails (Toxiproxy busy, a slow restart) is tried again before giving up. */
  private async remove(slot: Slot, active: ActiveFault): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await active.remove();
        return;
      } catch (error) {
        if (attempt >= REMOVE_ATTEMPTS) {
          slot.errors.push(`removing failed: ${message(error)}`);
          this.options.log?.(
            `fault ${slot.fault.name}: could not remove ${slot.fault.kind} from ${slot.fault.target}: ${message(error)}`,
          );
          return;
        }
        await sleep(250 * attempt);
      }
    }
  }

  private record(slot: Slot, ended: { offsetMs: number; wall: Date }, interrupted: boolean): void {
    const { fault } = slot;
    const started = slot.startedAt ?? ended;
    const window: FaultWindow = {
      name: fault.name,
      kind: fault.kind,
      target: fault.target,
      affected: [...slot.affected],
      startedAt: started.wall.toISOString(),
      endedAt: ended.wall.toISOString(),
      startOffsetMs: Math.round(started.offsetMs),
      endOffsetMs: Math.round(ended.offsetMs),
      plannedStartOffsetMs: fault.startMs,
      plannedEndOffsetMs: fault.startMs + fault.durationMs,
      recoveryFrom: faultKind(fault.kind).recoveryFrom,
      interrupted,
    };
    if (fault.profile !== undefined) window.profile = fault.profile;
    if (slot.errors.length > 0) window.error = slot.errors.join('; ');
    this.recorded.push(window);
  }

  private event(slot: Slot, phase: 'start' | 'end', at: { offsetMs: number; wall: Date }): void {
    const { fault } = slot;
    const event: FaultEvent = {
      type: 'fault',
      phase,
      name: fault.name,
      kind: fault.kind,
      target: fault.target,
      t: at.wall.toISOString(),
      elapsedS: Math.round(at.offsetMs) / 1000,
    };
    if (fault.profile !== undefined) event.profile = fault.profile;
    if (phase === 'end' && slot.affected.length > 0) event.affected = [...slot.affected];
    if (phase === 'end' && slot.errors.length > 0) event.error = slot.errors.join('; ');
    try {
      this.options.events?.writeEvent(event);
    } catch {
      // The time series is closed (the run is over): the window still holds the fault.
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
