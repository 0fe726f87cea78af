import { existsSync } from 'node:fs';
import { formatPath } from '../config/config-path.js';
import { didYouMean } from '../config/did-you-mean.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import type { ConfigIssue } from '../config/load.js';
import { expandProfile, loadDdilProfile, profilePath, shippedProfileNames } from './ddil-profile.js';
import type { Footprint } from './kind.js';
import { faultKind } from './kinds/index.js';
import { type ResolvedTarget, resolveFaultTarget, type TargetCatalog, targetNames } from './targets.js';
import type { FaultEntryBase, FaultKindName, FaultPlan, PlannedFault } from './types.js';

// The rules of a fault plan that need more than its schema: targets that exist in the
// environment and suit the kind, destructive faults only where allowed, positive durations,
// no incompatible faults overlapping on one link or component, nothing starting after the run.

export interface ProfilePlanEntry {
  name?: string;
  profile: string;
  target: string;
  start: string | number;
  duration?: string | number;
  scale?: number;
  seed?: string | number;
}

export type KindPlanEntry = FaultEntryBase & Record<string, unknown>;

/** A plan file as the schema passed it. */
export interface FaultPlanFile {
  name: string;
  description?: string;
  warmup?: string | number;
  faults: (KindPlanEntry | ProfilePlanEntry)[];
}

export interface PlanCheckContext {
  file: string;
  planDirectory: string;
  catalog: TargetCatalog;
  runDurationMs?: number;
  /** Factor for how long faults last (see LoadFaultPlanOptions.durationScale). Default 1. */
  durationScale?: number;
}

const isProfile = (entry: KindPlanEntry | ProfilePlanEntry): entry is ProfilePlanEntry => 'profile' in entry;

/** Checks the plan and resolves it onto the timeline; the plan is meaningful only without issues. */
export async function checkFaultPlan(
  file: FaultPlanFile,
  context: PlanCheckContext,
): Promise<{ issues: ConfigIssue[]; plan: FaultPlan }> {
  const issues: ConfigIssue[] = [];
  const { catalog } = context;
  const warmupMs = file.warmup === undefined ? undefined : parseDuration(file.warmup);
  const names = entryNames(file, issues);
  const faults: PlannedFault[] = [];
  for (const [index, entry] of file.faults.entries()) {
    const path = ['faults', index];
    let startMs = 0;
    if (entry.start === 'after-warmup') {
      if (warmupMs === undefined)
        issues.push({
          path: [...path, 'start'],
          message: 'start "after-warmup" needs the plan\'s warm-up length: add warmup (e.g. warmup: 30s)',
        });
      else startMs = warmupMs;
    } else startMs = parseDuration(entry.start);
    if (entry.duration !== undefined && parseDuration(entry.duration) <= 0)
      issues.push({ path: [...path, 'duration'], message: 'duration must be longer than 0s' });
    const name = names[index]!;
    if (isProfile(entry)) {
      faults.push(...(await profileFaults(entry, { path, name, startMs, context, issues })));
      continue;
    }
    const target = checkTarget(entry.kind, entry.target, catalog, path, issues);
    if (target)
      for (const issue of faultKind(entry.kind).validate(entry, target, catalog))
        issues.push({ ...issue, path: [...path, ...issue.path] });
    const scaled = scaleEntry(entry, context.durationScale ?? 1);
    faults.push({
      name,
      kind: entry.kind,
      target: entry.target,
      startMs,
      durationMs: parseDuration(scaled.duration),
      entry: scaled,
      path,
    });
  }
  faults.sort((a, b) => a.startMs - b.startMs);
  issues.push(...overlapIssues(faults, catalog), ...runEndIssues(faults, context.runDurationMs));
  const plan: FaultPlan = {
    name: file.name,
    file: context.file,
    faults,
    endMs: Math.max(0, ...faults.map((f) => f.startMs + f.durationMs)),
  };
  if (file.description !== undefined) plan.description = file.description;
  if (warmupMs !== undefined) plan.warmupMs = warmupMs;
  return { issues, plan };
}

/** The entry with its duration and timeline fields multiplied by `scale` (as milliseconds). */
function scaleEntry(entry: KindPlanEntry, scale: number): KindPlanEntry {
  if (scale === 1) return entry;
  const scaled: KindPlanEntry = { ...entry, duration: Math.round(parseDuration(entry.duration) * scale) };
  for (const field of faultKind(entry.kind).timelineFields) {
    const value = entry[field];
    if (typeof value === 'string' || typeof value === 'number')
      scaled[field] = Math.round(parseDuration(value) * scale);
  }
  return scaled;
}

/** Each entry's name: as written (unique), else <kind|profile>-<target> with a suffix if taken. */
function entryNames(file: FaultPlanFile, issues: ConfigIssue[]): string[] {
  const taken = new Map<string, number>();
  file.faults.forEach((entry, index) => {
    if (entry.name === undefined) return;
    const first = taken.get(entry.name);
    if (first === undefined) taken.set(entry.name, index);
    else
      issues.push({
        path: ['faults', index, 'name'],
        message: `name "${entry.name}" is already used by faults[${first}]; names must be unique`,
      });
  });
  return file.faults.map((entry, index) => {
    if (entry.name !== undefined) return entry.name;
    const base = `${isProfile(entry) ? entry.profile.replace(/^.*\//, '').replace(/\.yaml$/, '') : entry.kind}-${entry.target}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.set(name, index);
    return name;
  });
}

/** Resolves the target and checks it suits the kind; pushes issues and returns undefined if not. */
function checkTarget(
  kindName: FaultKindName,
  target: string,
  catalog: TargetCatalog,
  path: (string | number)[],
  issues: ConfigIssue[],
): ResolvedTarget | undefined {
  const kind = faultKind(kindName);
  issues.push(...destructiveIssues(kindName, catalog, path));
  const resolved = resolveFaultTarget(target, catalog);
  const at = [...path, 'target'];
  if (!resolved) {
    const known = targetNames(catalog);
    const none =
      catalog.provider === 'existing'
        ? `an existing deployment offers only the proxies its environment lists (${known.join(', ') || 'none'})`
        : `this environment has ${known.join(', ')}`;
    issues.push({ path: at, message: `unknown target "${target}"${didYouMean(target, known)}; ${none}` });
    return undefined;
  }
  if (resolved.type === 'component' && resolved.component === 'toxiproxy') {
    issues.push({
      path: at,
      message: "toxiproxy carries the links' faults; it cannot be a fault's target itself",
    });
    return undefined;
  }
  if (kind.targets === 'link' && resolved.type === 'component') {
    issues.push({
      path: at,
      message: `${kindName} acts on a link or proxy (users-lb, lb-app, lb-app-2, app-db-primary…), and ${target} is a component`,
    });
    return undefined;
  }
  if (kind.targets === 'component' && resolved.type === 'link') {
    issues.push({
      path: at,
      message: `${kindName} acts on a component (app-1, postgres-primary, nginx…), and ${target} is a link`,
    });
    return undefined;
  }
  return resolved;
}

function destructiveIssues(
  kind: FaultKindName,
  catalog: TargetCatalog,
  path: (string | number)[],
): ConfigIssue[] {
  if (!faultKind(kind).destructive || catalog.destructiveAllowed) return [];
  return [
    {
      path: [...path, 'kind'],
      message: `${kind} is destructive: against an existing deployment it needs existing.allowDestructive: true in the environment`,
    },
  ];
}

async function profileFaults(
  entry: ProfilePlanEntry,
  where: {
    path: (string | number)[];
    name: string;
    startMs: number;
    context: PlanCheckContext;
    issues: ConfigIssue[];
  },
): Promise<PlannedFault[]> {
  const { path, context, issues } = where;
  const file = profilePath(entry.profile, context.planDirectory);
  if (!existsSync(file)) {
    const shipped = await shippedProfileNames();
    issues.push({
      path: [...path, 'profile'],
      message: `no DDIL profile "${entry.profile}"${didYouMean(entry.profile, shipped)} (shipped: ${shipped.join(', ')}; or a path to a profile file relative to the plan)`,
    });
    return [];
  }
  const profile = await loadDdilProfile(file);
  const durationScale = context.durationScale ?? 1;
  const faults = expandProfile(profile, {
    name: where.name,
    target: entry.target,
    startMs: where.startMs,
    ...(entry.duration !== undefined && {
      durationMs: Math.round(parseDuration(entry.duration) * durationScale),
    }),
    scale: (entry.scale ?? 1) * durationScale,
    ...(entry.seed !== undefined && { seed: entry.seed }),
    path,
  });
  if (faults.length === 0 && (entry.duration === undefined || parseDuration(entry.duration) > 0))
    issues.push({
      path: [...path, entry.duration === undefined ? 'profile' : 'duration'],
      message: `profile ${profile.name} yields no fault in this time; give it a longer duration`,
    });
  // The target is checked once (every step is a link fault); each kind's own rules once per kind.
  const kinds = [...new Set(faults.map((f) => f.kind))];
  const stepIssues: ConfigIssue[] = [];
  const target =
    kinds.length > 0 ? checkTarget(kinds[0]!, entry.target, context.catalog, path, stepIssues) : undefined;
  for (const kind of kinds.slice(1)) stepIssues.push(...destructiveIssues(kind, context.catalog, path));
  if (target) {
    for (const kind of kinds) {
      const fault = faults.find((f) => f.kind === kind)!;
      stepIssues.push(...faultKind(kind).validate(fault.entry, target, context.catalog));
    }
  }
  const seen = new Set<string>();
  for (const issue of stepIssues) {
    const field = issue.path.at(-1) === 'target' ? 'target' : 'profile';
    const message = `profile ${profile.name}: ${issue.message}`;
    if (seen.has(message)) continue;
    seen.add(message);
    issues.push({ ...issue, path: [...path, field], message });
  }
  return faults;
}

function overlapIssues(faults: readonly PlannedFault[], catalog: TargetCatalog): ConfigIssue[] {
  const prints = faults.map((fault) => {
    const target = resolveFaultTarget(fault.target, catalog);
    return target ? faultKind(fault.kind).footprint(fault.entry, target, catalog) : undefined;
  });
  const issues: ConfigIssue[] = [];
  const reported = new Set<string>();
  faults.forEach((later, j) => {
    for (let i = 0; i < j; i++) {
      const earlier = faults[i]!;
      const [a, b] = [prints[i], prints[j]];
      if (!a || !b || earlier.startMs + earlier.durationMs <= later.startMs) continue;
      const conflict = describeConflict(earlier, a, later, b);
      if (conflict === undefined) continue;
      const key = `${formatPath(later.path)} ${formatPath(earlier.path)}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const from = formatDuration(later.startMs);
      const to = formatDuration(
        Math.min(earlier.startMs + earlier.durationMs, later.startMs + later.durationMs),
      );
      const other =
        formatPath(earlier.path) === formatPath(later.path)
          ? `"${earlier.name}" of the same profile`
          : `"${earlier.name}" (${formatPath(earlier.path)})`;
      issues.push({
        path: [...later.path, 'start'],
        message: `"${later.name}" overlaps ${other} from ${from} to ${to}: ${conflict}`,
      });
    }
  });
  return issues;
}

function describeConflict(
  a: PlannedFault,
  pa: Footprint,
  b: PlannedFault,
  pb: Footprint,
): string | undefined {
  const proxies = pa.proxies.filter((p) => pb.proxies.includes(p));
  if (proxies.length > 0) {
    const on = `proxy ${proxies.join(', ')}`;
    if (pa.blocksLink || pb.blocksLink) {
      const [down, other] = pa.blocksLink ? [a, b] : [b, a];
      return `${on} is down (${down.kind}) while ${other.kind} acts on it`;
    }
    if (pa.toxic && pb.toxic && pa.toxic.type === pb.toxic.type) {
      const streams = pa.toxic.streams.filter((s) => pb.toxic!.streams.includes(s));
      if (streams.length > 0)
        return `two ${pa.toxic.type} toxics on the ${streams.join(' and ')} stream of ${on}`;
    }
  }
  const components = pa.components.filter((c) => pb.components.includes(c));
  if (components.length > 0)
    return `two process faults (${a.kind}, ${b.kind}) on ${components.join(', ')} at once`;
  return undefined;
}

function runEndIssues(faults: readonly PlannedFault[], runDurationMs: number | undefined): ConfigIssue[] {
  if (runDurationMs === undefined) return [];
  const issues: ConfigIssue[] = [];
  const reported = new Set<string>();
  for (const fault of faults) {
    const key = formatPath(fault.path);
    if (fault.startMs < runDurationMs || reported.has(key)) continue;
    reported.add(key);
    issues.push({
      path: [...fault.path, 'start'],
      message: `"${fault.name}" starts at ${formatDuration(fault.startMs)}, when the run (${formatDuration(runDurationMs)}) has ended`,
    });
  }
  return issues;
}
