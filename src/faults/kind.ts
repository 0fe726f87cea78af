import { type Static, type TObject, type TProperties, Type } from '@sinclair/typebox';
import type { ConfigPath } from '../config/config-path.js';
import { DURATION_EXPECTATION, DURATION_PATTERN, Duration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { ClosedObject, PatternString } from '../config/schema-builders.js';
import type { RunningStack } from '../stack/provider.js';
import type { ToxicStream, ToxicType } from '../stack/toxiproxy-client.js';
import type { ExitCleanup } from './exit-cleanup.js';
import type { ResolvedTarget, TargetCatalog } from './targets.js';
import type { ToxiproxyResolver } from './toxiproxy-for-proxy.js';

// The small core every fault kind plugs into (Toxiproxy-style): a kind is its own fields, a few
// rules, and apply() → something that removes it. Adding a kind is one file under kinds/ plus
// its line in kinds/index.ts. The names of the kinds come from that registry (kinds/index.ts),
// so this core speaks of a kind's name as any string; types.ts narrows it for the readers.

export const FAULT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/-]*$';

export const START_EXPECTATION = `expected "after-warmup" or an offset from the load's start: ${DURATION_EXPECTATION.replace('expected ', '')}`;

/** A fault's start: an offset from the load's start, or the end of the plan's warm-up. */
export const Start = (description: string) =>
  Type.Union(
    [Type.String({ pattern: DURATION_PATTERN }), Type.Number({ minimum: 0 }), Type.Literal('after-warmup')],
    { errorMessage: START_EXPECTATION, description },
  );

/** The fields of every fault entry besides `kind` and the kind's own. */
export const COMMON_FIELDS = {
  name: Type.Optional(
    PatternString(FAULT_NAME_PATTERN, "expected letters, digits, '.', '_', '/' or '-'", {
      maxLength: 80,
      description: 'Name shown in reports; default <kind>-<target>. Unique within the plan.',
    }),
  ),
  target: Type.String({
    minLength: 1,
    description:
      'A link (users-lb, lb-app, app-db-primary, app-db-replica, app-object-store), one proxy (lb-app-2) or a component (app-1, postgres-primary, nginx, object-store…).',
  }),
  start: Start('When the fault starts: an offset from the load\'s start ("30s"), or "after-warmup".'),
  duration: Duration({ description: 'How long the fault lasts; it is removed afterwards.' }),
};

/**
 * Where a fault's recovery time counts from: the end of the fault (the impairment is gone, how
 * long until users are fine again), or its start (a failover is one-way: the system must heal
 * while the old primary stays dead).
 */
export type RecoveryFrom = 'start' | 'end';

/** A fault in force; `remove()` undoes it and may be called more than once. */
export interface ActiveFault {
  /** What it acts on (proxies or components). */
  readonly affected: readonly string[];
  remove(): Promise<void>;
}

/** Fields every fault entry has besides its kind's own (durations as written in the file). */
export interface KindEntryBase {
  kind: string;
  name?: string;
  target: string;
  start: string | number;
  duration: string | number;
}

/** A fault of a loaded plan as its kind sees it (any kind name; types.ts narrows it). */
export interface KindFault<E extends KindEntryBase = KindEntryBase> {
  /** Unique within the plan. */
  name: string;
  kind: string;
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

/** What a target must be for a kind. */
export type TargetType = 'link' | 'component' | 'link-or-component';

/** What a fault touches, for the plan's overlap rules. */
export interface Footprint {
  proxies: readonly string[];
  /** The link is down: nothing else may act on these proxies meanwhile. */
  blocksLink: boolean;
  /** A toxic: two of the same type and stream must not overlap on one proxy. */
  toxic?: { type: ToxicType; streams: readonly ToxicStream[] };
  /** Components whose process it stops, freezes or restarts: one such fault at a time each. */
  components: readonly string[];
}

export interface FaultContext<E extends KindEntryBase = KindEntryBase> {
  fault: KindFault<E>;
  target: ResolvedTarget;
  stack: RunningStack;
  toxiproxy: ToxiproxyResolver;
  /** Synchronous last-resort undo if the process exits with the fault in force. */
  exitCleanup: ExitCleanup;
}

export interface FaultKind<E extends KindEntryBase = KindEntryBase> {
  readonly name: string;
  readonly description: string;
  /** The kind's own fields (profile steps reuse them). */
  readonly fields: TProperties;
  /** A plan entry of this kind: `kind`, the common fields and the kind's own. */
  readonly schema: TObject;
  readonly targets: TargetType;
  /** Not allowed against an `existing` deployment without `existing.allowDestructive`. */
  readonly destructive: boolean;
  readonly recoveryFrom: RecoveryFrom;
  /** Own fields that are times on the run's timeline (scaled with the plan's durations). */
  readonly timelineFields: readonly string[];
  /** Rules beyond the schema and the target's type; issue paths are relative to the entry. */
  validate(entry: E, target: ResolvedTarget, catalog: TargetCatalog): ConfigIssue[];
  footprint(entry: E, target: ResolvedTarget, catalog: TargetCatalog): Footprint;
  apply(context: FaultContext<E>): Promise<ActiveFault>;
}

/** A plan entry of kind N with own fields P, as loaded (durations as written). */
export type KindEntry<N extends string, P extends TProperties> = KindEntryBase & {
  kind: N;
} & Static<TObject<P>>;

export interface FaultKindDefinition<N extends string, P extends TProperties> {
  name: N;
  description: string;
  fields: P;
  targets: TargetType;
  destructive: boolean;
  recoveryFrom?: RecoveryFrom;
  /** Own duration fields on the run's timeline (kill's restartAfter), unlike a link's latency. */
  timelineFields?: readonly (keyof P & string)[];
  validate?(entry: KindEntry<N, P>, target: ResolvedTarget, catalog: TargetCatalog): ConfigIssue[];
  footprint(entry: KindEntry<N, P>, target: ResolvedTarget, catalog: TargetCatalog): Footprint;
  apply(context: FaultContext<KindEntry<N, P>>): Promise<ActiveFault>;
}

/** A kind from its definition: builds the entry schema and fills the optional parts. */
export function defineFaultKind<const N extends string, P extends TProperties>(
  definition: FaultKindDefinition<N, P>,
): FaultKind<KindEntry<N, P>> {
  const properties: TProperties = {
    kind: Type.Literal(definition.name, { description: definition.description }),
    ...COMMON_FIELDS,
    ...definition.fields,
  };
  return {
    name: definition.name,
    description: definition.description,
    fields: definition.fields,
    schema: ClosedObject(properties, {
      description: `A ${definition.name} fault: ${definition.description}`,
    }),
    targets: definition.targets,
    destructive: definition.destructive,
    recoveryFrom: definition.recoveryFrom ?? 'end',
    timelineFields: definition.timelineFields ?? [],
    validate: (entry, target, catalog) => definition.validate?.(entry, target, catalog) ?? [],
    footprint: (entry, target, catalog) => definition.footprint(entry, target, catalog),
    apply: (context) => definition.apply(context),
  };
}

/**
 * An ActiveFault whose removal runs once, however often remove() is called; after a failed
 * removal the next call tries again (`undo` must then carry on from where it stopped).
 */
export function activeFault(affected: readonly string[], undo: () => Promise<void>): ActiveFault {
  let removal: Promise<void> | undefined;
  return {
    affected,
    remove: () => {
      removal ??= undo().catch((error: unknown) => {
        removal = undefined;
        throw error;
      });
      return removal;
    },
  };
}
