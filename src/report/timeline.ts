import type { FaultVerdict, Summary } from '../summary/summary-schema.js';
import type { IntervalLine } from './timeseries.js';

// Reads timeseries.ndjson back for the reports: the per-second interval lines, and the fault
// windows paired from the `{type: "fault", phase: "start" | "end"}` event lines. A run that
// crashed may leave a torn last line; such lines are counted and skipped, never fatal.

/** One fault as the charts shade it: seconds since the start of the load. */
export interface TimelineFault {
  name: string;
  kind: string;
  target: string;
  startS: number;
  endS: number;
  /** No end event: the run stopped during the fault (the window runs to the last interval). */
  open: boolean;
}

export interface Timeline {
  intervals: IntervalLine[];
  faults: TimelineFault[];
  /** Lines that were not JSON objects with a known `type` (a torn last line, stray output). */
  skippedLines: number;
}

interface FaultEventLine {
  type: 'fault';
  phase: 'start' | 'end';
  name: string;
  kind?: string;
  target?: string;
  elapsedS: number;
}

export function parseTimeseries(text: string): Timeline {
  const intervals: IntervalLine[] = [];
  const events: FaultEventLine[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skippedLines++;
      continue;
    }
    if (isIntervalLine(value)) intervals.push(value);
    else if (isFaultEvent(value)) events.push(value);
    else if (!isObjectWithType(value)) skippedLines++;
    // Other event types (future ones) are not errors: the reports just do not draw them.
  }
  const lastS = intervals.at(-1)?.elapsedS ?? 0;
  return { intervals, faults: pairFaultEvents(events, lastS), skippedLines };
}

/**
 * Start and end events paired by fault name, in order: an end closes the earliest open window of
 * the same name (a DDIL profile may apply one fault name several times).
 */
function pairFaultEvents(events: readonly FaultEventLine[], lastS: number): TimelineFault[] {
  const windows: TimelineFault[] = [];
  const open = new Map<string, TimelineFault[]>();
  for (const event of events) {
    if (event.phase === 'start') {
      const window: TimelineFault = {
        name: event.name,
        kind: typeof event.kind === 'string' ? event.kind : '',
        target: typeof event.target === 'string' ? event.target : '',
        startS: event.elapsedS,
        endS: Math.max(lastS, event.elapsedS),
        open: true,
      };
      windows.push(window);
      const list = open.get(event.name) ?? [];
      list.push(window);
      open.set(event.name, list);
    } else {
      const window = open.get(event.name)?.shift();
      if (window === undefined) continue; // an end without a start: nothing to shade
      window.endS = Math.max(window.startS, event.elapsedS);
      window.open = false;
    }
  }
  return windows.sort((a, b) => a.startS - b.startS);
}

/**
 * Fault windows from summary.json's fault verdicts, for a time series without fault events: wall
 * clock times placed on the load's time axis through the first interval line (`t` − `elapsedS`).
 */
export function faultWindowsFromSummary(
  faults: readonly FaultVerdict[],
  intervals: readonly IntervalLine[],
  summary: Pick<Summary, 'startedAt'>,
): TimelineFault[] {
  const first = intervals[0];
  const origin =
    first !== undefined ? Date.parse(first.t) - first.elapsedS * 1000 : Date.parse(summary.startedAt);
  if (!Number.isFinite(origin)) return [];
  const at = (iso: string) => Math.max(0, (Date.parse(iso) - origin) / 1000);
  return faults
    .filter((f) => Number.isFinite(Date.parse(f.startedAt)) && Number.isFinite(Date.parse(f.endedAt)))
    .map((f) => ({
      name: f.name,
      kind: f.kind,
      target: f.target,
      startS: at(f.startedAt),
      endS: Math.max(at(f.startedAt), at(f.endedAt)),
      open: f.interrupted,
    }));
}

function isObjectWithType(value: unknown): value is { type: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
  );
}

function isIntervalLine(value: unknown): value is IntervalLine {
  return (
    isObjectWithType(value) &&
    value.type === 'interval' &&
    typeof (value as { elapsedS?: unknown }).elapsedS === 'number'
  );
}

function isFaultEvent(value: unknown): value is FaultEventLine {
  if (!isObjectWithType(value) || value.type !== 'fault') return false;
  const v = value as Partial<FaultEventLine>;
  return (
    (v.phase === 'start' || v.phase === 'end') && typeof v.name === 'string' && typeof v.elapsedS === 'number'
  );
}
