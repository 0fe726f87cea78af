import type { ExternallyControlled } from '../load/executors/externally-controlled.js';
import type { Tick, TickListener } from '../metrics/heartbeat.js';
import type { StackDocument } from '../stack/stack-document.js';
import type { CriterionId } from '../summary/capacity-schema.js';
import type { Summary } from '../summary/summary-schema.js';
import { evaluateCriteria } from '../verdict/capacity-criteria.js';
import { AppNodeSampler } from './app-node-metrics.js';
import { BoundedHold } from './bounded-hold.js';
import { BreachLog } from './breach-log.js';
import { buildCapacityReport } from './capacity-report.js';
import { type Decision, FeedbackLoop } from './feedback-loop.js';
import { harnessSecond, observe } from './observation.js';
import type { CapacitySettings } from './settings.js';

// The controller of a capacity search: every second it judges the last second against the
// criteria and lets the feedback loop (or the bounded hold) set the number of users of an
// externally-controlled executor, until the search settles. The run layer owns the session
// (seeding, heartbeat, summary); this owns only the decisions and what they found.

export interface CapacitySecond {
  elapsedS: number;
  activeUsers: number;
  targetUsers: number;
  breaches: readonly CriterionId[];
  decision: Decision['kind'];
  harnessSaturated: boolean;
}

export interface CapacitySearchOptions {
  settings: CapacitySettings;
  stack: StackDocument;
  users: Pick<ExternallyControlled, 'active' | 'setTarget'>;
  /** Where breach events go (the time series). */
  events: { writeEvent(event: { type: 'capacity-breach'; users: number; criteria: CriterionId[] }): void };
  log: (line: string) => void;
  /** Called after every second's decision (tests, progress). */
  onSecond?: (second: CapacitySecond) => void;
}

const LOG_EVERY_S = 10;

export class CapacitySearch {
  /** Resolves when the search has decided to stop (settled, gave up, held long enough). */
  readonly done: Promise<void>;
  private readonly sampler: AppNodeSampler;
  private readonly breachLog: BreachLog;
  private readonly loop: FeedbackLoop | null;
  private readonly hold: BoundedHold | null;
  private readonly recent = new Map<CriterionId, number>();
  private harnessReason: string | undefined;
  private finished!: () => void;

  constructor(private readonly options: CapacitySearchOptions) {
    const { settings } = options;
    this.done = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
    this.sampler = new AppNodeSampler(options.stack, {
      cores: settings.appNode.cores,
      ...(settings.appNode.memoryMiB !== undefined && { memoryBytes: settings.appNode.memoryMiB * 2 ** 20 }),
    });
    this.breachLog = new BreachLog(settings.criteria);
    this.loop = settings.bounded
      ? null
      : new FeedbackLoop({
          stepUsers: settings.step,
          restS: settings.restMs / 1000,
          settleS: settings.settleMs / 1000,
          maxUsers: settings.maxUsers,
          maxDurationS: settings.maxDurationMs / 1000,
        });
    this.hold = settings.bounded ? new BoundedHold(settings, settings.bounded) : null;
  }

  /** The heartbeat listener that makes a decision every second. */
  readonly listener: TickListener = (tick) => this.onTick(tick);

  /** One line saying what the search does. */
  describe(): string {
    const { settings } = this.options;
    return settings.bounded
      ? `holding ${settings.bounded.users} users for ${Math.round(settings.bounded.holdMs / 1000)} s`
      : `searching: step ${settings.step}, rest ${settings.restMs / 1000} s, settle window ${settings.settleMs / 1000} s, at most ${settings.maxUsers} users`;
  }

  /** Starts sampling the app nodes; `abort` ends the search early (an interrupt). */
  start(abort: AbortSignal): void {
    abort.addEventListener('abort', () => this.finished(), { once: true });
    this.sampler.start();
  }

  stop(): void {
    this.sampler.stop();
  }

  report(run: { interrupted: boolean; startedAtMs: number }): NonNullable<Summary['capacity']> {
    return buildCapacityReport({
      settings: this.options.settings,
      loopOutcome: this.loop?.outcome ?? null,
      firstBreachS: this.loop?.firstBreachAtS ?? this.hold?.firstBreachS ?? null,
      holdOutcome: this.hold?.outcome() ?? null,
      interrupted: run.interrupted,
      breachLog: this.breachLog,
      serverSource: this.sampler.latest.source,
      startedAtMs: run.startedAtMs,
      harnessReason: this.harnessReason,
    });
  }

  private onTick(tick: Tick): void {
    if (tick.final) return;
    const { settings, users, log } = this.options;
    const elapsedS = tick.elapsedMs / 1000;
    const harness = harnessSecond(tick.interval);
    if (harness.saturated) this.harnessReason ??= harness.reason;
    const nodes = this.sampler.latest;
    const readings = evaluateCriteria(settings.criteria, observe(tick.interval, nodes));
    const active = users.active;
    // A second in which the harness was the bottleneck measures the harness: not a breach.
    const breaches = harness.saturated ? [] : this.breachLog.record(elapsedS, active, readings);
    for (const id of breaches) this.recent.set(id, (this.recent.get(id) ?? 0) + 1);
    const decision: Decision = this.loop
      ? this.loop.next({ t: elapsedS, breaches, harnessSaturated: harness.saturated, activeUsers: active })
      : this.hold!.next(elapsedS, active, tick.interval, nodes, harness.saturated);
    users.setTarget(decision.target);
    if (breaches.length > 0)
      this.options.events.writeEvent({ type: 'capacity-breach', users: active, criteria: breaches });
    this.options.onSecond?.({
      elapsedS,
      activeUsers: active,
      targetUsers: decision.target,
      breaches,
      decision: decision.kind,
      harnessSaturated: harness.saturated,
    });
    if (Math.floor(elapsedS) % LOG_EVERY_S === 0) {
      const seen = [...this.recent].map(([id, n]) => `${id}×${n}`).join(', ');
      log(
        `${Math.round(elapsedS)} s: ${active} users active (target ${decision.target})${seen ? `; breaches: ${seen}` : ''}`,
      );
      this.recent.clear();
    }
    if (decision.kind === 'stop') this.finished();
  }
}
