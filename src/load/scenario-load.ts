import { combinedSummary, type DeliverySummary, type MissedDelivery } from '../mattermost/delivery.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import { credentialsFile, requireCredentials, type SeedCredentials } from '../seed/credentials.js';
import type { StackDocument } from '../stack/stack-document.js';
import { createBehaviour, type RunBehaviour } from './behaviour-factory.js';
import { CallsLoad } from './calls/calls-load.js';
import { withCallsLength } from './calls/calls-schema.js';
import { createExecutor, type ScenarioExecutor } from './executors/create-executor.js';
import { reportingHooks } from './executors/reporting-hooks.js';
import { applyOverrides, type RunOverrides } from './overrides.js';
import type { ScenarioFile } from './scenario.js';
import type { ExecutorContext } from './types.js';

// The load of one scenario file: every scenario's behaviour and executor, plus the calls
// participants, prepared together and driven side by side. It knows nothing of seeding, the
// summary or drills: the run layer (src/run/) puts a session around it.

export interface ScenarioLoadOptions {
  scenario: ScenarioFile;
  overrides?: RunOverrides;
  stack: StackDocument;
  /** The seeded accounts; null when the scenarios log nobody in. */
  credentials: SeedCredentials | null;
  /** Where `seed: none` finds the accounts the calls participants log in with. */
  stateDir: string;
  registry: MetricsRegistry;
  /** Seed of every random choice (each scenario gets `<seed>:<name>`). */
  seed: string;
  /** Tags the calls this run starts. */
  runTag: string;
  /** Aborting stops every executor (the hard stop) and the calls. */
  signal: AbortSignal;
  log: (line: string) => void;
}

/** What the run reads from the load once it is over. */
export interface LoadOutcome {
  delivery: DeliverySummary;
  missed: MissedDelivery[];
  acknowledgedPosts: readonly string[];
}

interface ScenarioPart {
  name: string;
  executor: ScenarioExecutor;
  ctx: ExecutorContext;
}

export class ScenarioLoad {
  /** Scenario names in file order (the summary lists them). */
  readonly scenarioNames: readonly string[];
  private readonly behaviours: RunBehaviour[] = [];
  private readonly parts: ScenarioPart[] = [];
  private calls: CallsLoad | null = null;
  private userOffset = 0;

  private constructor(private readonly options: ScenarioLoadOptions) {
    const { scenario, registry, stack, credentials, log, signal } = options;
    const entries = Object.entries(applyOverrides(scenario.scenarios, options.overrides ?? {}));
    this.scenarioNames = entries.map(([name]) => name);
    // Scenarios use disjoint ranges of the seeded accounts, so no user is two VUs at once.
    for (const [name, entry] of entries) {
      const behaviour = createBehaviour(entry, {
        scenario,
        metrics: registry,
        stack,
        credentials,
        seed: `${options.seed}:${name}`,
        userOffset: this.userOffset,
      });
      this.userOffset += behaviour.maxVus;
      this.behaviours.push(behaviour);
      this.parts.push({
        name,
        executor: createExecutor(entry, reportingHooks(log, `scenario ${name}: `)),
        ctx: { scenario: name, behaviour: behaviour.behaviour, metrics: registry, signal },
      });
    }
  }

  static async create(options: ScenarioLoadOptions): Promise<ScenarioLoad> {
    const load = new ScenarioLoad(options);
    const { scenario } = options;
    if (!scenario.calls) return load;
    // Calls participants take the seeded accounts after every scenario's VUs.
    const durationOverride = options.overrides?.durationMs;
    load.calls = new CallsLoad({
      section:
        durationOverride === undefined ? scenario.calls : withCallsLength(scenario.calls, durationOverride),
      baseUrl: options.stack.url,
      credentials:
        options.credentials ?? (await requireCredentials(credentialsFile('small', options.stateDir))),
      userOffset: load.userOffset,
      metrics: options.registry,
      runTag: options.runTag,
      log: options.log,
    });
    return load;
  }

  /** The longest the load can last once started. */
  maxDurationMs(): number {
    return Math.max(
      0,
      this.calls?.maxDurationMs() ?? 0,
      ...this.parts.map((p) => p.executor.maxDurationMs()),
    );
  }

  /** `users (constant-vus), writers (constant-arrival-rate), calls`. */
  describe(): string {
    const pieces = [
      ...this.parts.map((p) => `${p.name} (${p.executor.type})`),
      ...(this.calls ? ['calls'] : []),
    ];
    return pieces.join(', ');
  }

  /** Every VU that must exist before the start (logins, WebSockets), every call member. */
  async prepare(): Promise<void> {
    await Promise.all([
      ...this.parts.map((p) => p.executor.prepare(p.ctx)),
      this.calls?.prepare(this.options.signal),
    ]);
  }

  /** Drives everything to its end (or the signal's hard stop). */
  async run(): Promise<void> {
    await Promise.all([
      ...this.parts.map((p) => p.executor.run(p.ctx)),
      this.calls?.run(this.options.signal),
    ]);
  }

  /** Logs out, closes WebSockets, leaves calls. */
  async close(): Promise<void> {
    await Promise.all([...this.behaviours.map((b) => b.behaviour.close()), this.calls?.close()]);
  }

  outcome(): LoadOutcome {
    return {
      delivery: combinedSummary(this.behaviours.map((b) => b.tracker())),
      missed: this.behaviours.flatMap((b) => [...b.missedDeliveries()]),
      acknowledgedPosts: this.behaviours.flatMap((b) => b.acknowledgedPosts()),
    };
  }
}
