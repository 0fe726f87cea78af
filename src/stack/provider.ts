import type { Environment } from './environment.js';
import type { StackComponent, StackDocument } from './stack-document.js';

/** Progress of `up`, one event per component step, for the CLI's live output. */
export interface StackProgress {
  component: string;
  phase: 'starting' | 'ready';
  /** Milliseconds the step took (on `ready`). */
  ms?: number;
  detail?: string;
}

export interface UpOptions {
  /** Where logs and data go; created by the caller. */
  runDir: string;
  /** The admin account's password (from the environment variable the file names). */
  adminPassword: string;
  /** Aborting tears down whatever was started and rejects `up` with an AbortError. */
  signal?: AbortSignal;
  progress?: (event: StackProgress) => void;
}

/** A component a fault can act on (a process or a container). */
export interface ControllableComponent {
  readonly info: StackComponent;
  kill(): Promise<void>;
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Graceful stop then start again (same ports, same data). */
  restart(): Promise<void>;
  /** Start again after kill (same ports, same data). */
  start(): Promise<void>;
}

/** A stack that is up, in this process. */
export interface RunningStack {
  readonly document: StackDocument;
  /** The component by its document name (e.g. `app-2`, `postgres-primary`); throws if unknown. */
  component(name: string): ControllableComponent;
  /** Promotes the streaming replica to primary (database failover); absent without a replica. */
  promoteReplica?(): Promise<void>;
  /** Stops everything it started and removes its data (logs stay in the run directory). */
  down(): Promise<void>;
  /** Leaves everything running after this process exits (`mmdrill stack up`). */
  detach(): void;
  /** Native only: each database's data directory, so a later process can find its backends. */
  readonly dataDirs?: Record<string, string>;
}

/** A stack an earlier process brought up and left running (`mmdrill stack up`): its state file. */
export interface DetachedStack {
  readonly document: StackDocument;
  /** Each database's data directory (native), to find its backends. */
  readonly dataDirs: Readonly<Record<string, string>>;
}

/** One component of a detached stack: is it there, is it frozen, does it answer. */
export interface ComponentHealth {
  name: string;
  state: 'running' | 'frozen' | 'stopped';
  healthy: boolean;
  detail: string;
}

/** One component of a detached stack taken down (for the CLI's progress). */
export interface ComponentStopped {
  component: string;
  result: 'stopped' | 'killed' | 'not-running';
  ms: number;
}

export interface StackProvider {
  up(env: Environment, options: UpOptions): Promise<RunningStack>;
  /** Whether anything of a detached stack may still run (`stack up` then refuses to start another). */
  stillRunning(stack: DetachedStack): boolean;
  /** The health of each component of a detached stack. */
  status(stack: DetachedStack): Promise<ComponentHealth[]>;
  /** Stops everything of a detached stack and removes its data; throws if something survives. */
  down(stack: DetachedStack, progress?: (stopped: ComponentStopped) => void): Promise<void>;
}

export class StackAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('stack up interrupted; everything it had started was stopped');
  }
}
