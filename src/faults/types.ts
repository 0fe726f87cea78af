import type { KindEntryBase, KindFault, RecoveryFrom } from './kind.js';
import type { FaultKindName } from './kinds/index.js';

// The contract between the fault scheduler and its readers (the drill, the fault verdicts, the
// reports): what a planned fault is, and what the scheduler records for each fault it applied.

export type { ActiveFault, RecoveryFrom } from './kind.js';
export type { FaultKindName } from './kinds/index.js';

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
export interface FaultEntryBase extends KindEntryBase {
  kind: FaultKindName;
}

/** A fault of a loaded plan, on the run's timeline (DDIL profiles are expanded into these). */
export interface PlannedFault<E extends FaultEntryBase = FaultEntryBase> extends KindFault<E> {
  kind: FaultKindName;
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
