import type { ConfigPath } from '../config/config-path.js';

// The contract between the fault scheduler and its readers (the drill, the fault verdicts, the
// reports): what a planned fault is, and what the scheduler records for each fault it applied.

/** Every fault kind, by the name a fault plan uses in `kind:`. */
export const FAULT_KIND_NAMES = [
  'latency',
  'bandwidth',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
  'partition',
  'kill',
  'freeze',
  'restart',
  'db-failover',
  'object-store-outage',
] as const;
export type FaultKindName = (typeof FAULT_KIND_NAMES)[number];

/**
 * Where a fault's recovery time counts from: the end of the fault (the impairment is gone, how
 * long until users are fine again), or its start (a failover is one-way: the system must heal
 * while the old primary stays dead).
 */
export type RecoveryFrom = 'start' | 'end';

/** One fault as applied during a run: the scheduler produces one per fault it applied. */
export interface FaultWindow {
  name: string;
  kind: FaultKindName;
  /** The target as the plan names it: a link (`users-lb`, `lb-app`), a proxy or a component. */
  target: string;
  /** What it acted on: proxy names for network faults, component names for process faults. */
  affected: string[];
  /** The DDIL profile this fault belongs to, when it comes from one. */
  profile?: string;
  /** When applying began (wall clock, ISO 8601). */
  startedAt: string;
  /** When the fault was fully removed (toxic deleted, proxy enabled, process thawed or restarted). */
  endedAt: string;
  /** Milliseconds since the load's start when applying began. */
  startOffsetMs: number;
  /** Milliseconds since the load's start when removal finished. */
  endOffsetMs: number;
  /** The plan's offsets; the actual ones differ by timer latency, or when the run ended early. */
  plannedStartOffsetMs: number;
  plannedEndOffsetMs: number;
  recoveryFrom: RecoveryFrom;
  /** True when the fault was cut short (the run ended, was interrupted or failed). */
  interrupted: boolean;
  /** Applying or removing failed: what went wrong (the window spans what happened). */
  error?: string;
}

/** The line the scheduler appends to timeseries.ndjson at each fault's start and end. */
export interface FaultEvent {
  type: 'fault';
  phase: 'start' | 'end';
  name: string;
  kind: FaultKindName;
  target: string;
  /** Wall clock, ISO 8601. */
  t: string;
  /** Seconds since the load's start. */
  elapsedS: number;
  profile?: string;
  error?: string;
  [key: string]: unknown;
}

/** Fields every fault entry has besides its kind's own (durations as written in the file). */
export interface FaultEntryBase {
  kind: FaultKindName;
  name?: string;
  target: string;
  start: string | number;
  duration: string | number;
}

/** A fault of a loaded plan, on the run's timeline (DDIL profiles are expanded into these). */
export interface PlannedFault<E extends FaultEntryBase = FaultEntryBase> {
  /** Unique within the plan. */
  name: string;
  kind: FaultKindName;
  target: string;
  /** Offset from the load's start. */
  startMs: number;
  durationMs: number;
  /** The kind's entry: its own fields as written (a profile step's, for expanded faults). */
  entry: E;
  /** The DDIL profile it comes from. */
  profile?: string;
  /** The plan entry it comes from, for messages. */
  path: ConfigPath;
}

/** A validated fault plan with every offset resolved. */
export interface FaultPlan {
  name: string;
  description?: string;
  /** The file as the user named it. */
  file: string;
  warmupMs?: number;
  /** Sorted by start. */
  faults: PlannedFault[];
  /** The end of the last fault, from the load's start. */
  endMs: number;
}

/** A fault in force; `remove()` undoes it and may be called more than once. */
export interface ActiveFault {
  /** What it acts on (proxies or components). */
  readonly affected: readonly string[];
  remove(): Promise<void>;
}
