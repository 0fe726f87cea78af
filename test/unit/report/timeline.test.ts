import { describe, expect, it } from 'vitest';
import { faultWindowsFromSummary, parseTimeseries } from '../../../src/report/timeline.js';
import type { FaultVerdict } from '../../../src/summary/summary-schema.js';

const interval = (elapsedS: number) =>
  JSON.stringify({
    type: 'interval',
    t: new Date(Date.UTC(2026, 0, 1, 0, 0, elapsedS)).toISOString(),
    elapsedS,
  });
const fault = (phase: 'start' | 'end', name: string, elapsedS: number) =>
  JSON.stringify({ type: 'fault', phase, name, kind: 'latency', target: 'lb->app-1', elapsedS });

describe('parseTimeseries', () => {
  it('pairs fault start and end events into windows, in order for repeated names', () => {
    const text = [
      interval(1),
      fault('start', 'lag', 2),
      interval(2),
      fault('end', 'lag', 4),
      fault('start', 'lag', 6),
      fault('start', 'cut', 7),
      fault('end', 'lag', 8),
      interval(10),
    ].join('\n');
    const t = parseTimeseries(text);
    expect(t.intervals.map((i) => i.elapsedS)).toEqual([1, 2, 10]);
    expect(t.faults).toEqual([
      { name: 'lag', kind: 'latency', target: 'lb->app-1', startS: 2, endS: 4, open: false },
      { name: 'lag', kind: 'latency', target: 'lb->app-1', startS: 6, endS: 8, open: false },
      // No end event: open to the last interval.
      { name: 'cut', kind: 'latency', target: 'lb->app-1', startS: 7, endS: 10, open: true },
    ]);
  });

  it('skips a torn last line and stray text, keeps unknown event types quietly', () => {
    const t = parseTimeseries(
      `${interval(1)}\nnot json\n{"type":"capacity","step":1}\n${interval(2).slice(0, 20)}`,
    );
    expect(t.intervals).toHaveLength(1);
    expect(t.skippedLines).toBe(2);
  });

  it('places summary fault verdicts on the time axis when the series has no fault events', () => {
    const t = parseTimeseries([interval(1), interval(2)].join('\n'));
    const verdict = {
      name: 'kill-app-2',
      kind: 'kill',
      target: 'app-2',
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toISOString(),
      endedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 45)).toISOString(),
      interrupted: false,
    } as FaultVerdict;
    expect(faultWindowsFromSummary([verdict], t.intervals, { startedAt: '' })).toEqual([
      { name: 'kill-app-2', kind: 'kill', target: 'app-2', startS: 30, endS: 45, open: false },
    ]);
  });
});
