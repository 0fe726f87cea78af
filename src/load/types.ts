import type { Metrics } from '../metrics/api.js';

// The contracts between executors (when iterations start), behaviours (what an iteration does)
// and the run (what ties them to a stack and to metrics).

/** One iteration handed by an executor to a behaviour. */
export interface Iteration {
  scenario: string;
  /** The VU (virtual user) running it: 0 .. maxVUs-1, stable for the VU's life. */
  vu: number;
  /** Per-scenario iteration counter. */
  iteration: number;
  /**
   * When the iteration was meant to start, in `performance.now()` milliseconds. Open-model
   * executors set it from the schedule, so latency measured from here includes any wait for a
   * free VU or a stalled event loop (no coordinated omission). Closed-model: the actual start.
   */
  intendedStart: number;
  /** True for arrival-rate executors (the schedule sets the pace, so no think time). */
  openModel: boolean;
}

/** What an iteration does: the Mattermost user model, or a fixed action loop. */
export interface Behaviour {
  /** Prepares VU `vu` before its first iteration (log in, open a WebSocket…). */
  initVu(vu: number, signal: AbortSignal): Promise<void>;
  /** Runs one iteration. Must stop promptly once `signal` aborts (graceful stop ended). */
  iterate(iteration: Iteration, signal: AbortSignal): Promise<void>;
  /** Releases everything (sockets, timers) at the end of the run. */
  close(): Promise<void>;
}

/** What an executor gets to run one scenario. */
export interface ExecutorContext {
  scenario: string;
  behaviour: Behaviour;
  metrics: Metrics;
  /** Aborted when the whole run must stop now (SIGINT, abortOnFail threshold). */
  signal: AbortSignal;
}

/** A k6-style executor (one file per executor under src/load/executors/). */
export interface Executor {
  readonly type: string;
  /** Resolves once every iteration ended or was cut after the graceful stop. */
  run(ctx: ExecutorContext): Promise<void>;
  /** The longest the executor can run, graceful stop included (for progress and time limits). */
  maxDurationMs(): number;
}
