import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { loadDrillFile } from '../../src/drill/drill-file.js';
import { runDrill } from '../../src/run/run-drill.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { Summary } from '../../src/summary/summary-schema.js';

// CI runs the short form of every shipped drill against the native stack and checks its verdict:
// each fault was applied and judged, recovery was measured, nothing acknowledged was lost.

const DRILLS = readdirSync(join(packageRoot(), 'drills'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

interface Line {
  type: string;
  elapsedS: number;
  reqRate: number;
  errorRate: number;
  phase?: 'start' | 'end';
}

async function drill(name: string): Promise<{ summary: Summary; lines: Line[] }> {
  const outDir = await createRunDir(`mmdrill-drill-${name}-`);
  const stateDir = await createRunDir('mmdrill-drill-state-');
  const { summary } = await runDrill({
    drill: await loadDrillFile(join(packageRoot(), 'drills', `${name}.yaml`)),
    short: true,
    outDir,
    stateDir,
    argv: ['mmdrill', 'drill', `drills/${name}.yaml`, '--short'],
    log: () => undefined,
    quiet: true,
  });
  const lines = (await readFile(join(outDir, 'timeseries.ndjson'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  return { summary, lines };
}

function errorsIn(lines: Line[], fromS: number, toS: number): number {
  return lines
    .filter((l) => l.type === 'interval' && l.elapsedS > fromS && l.elapsedS <= toS)
    .reduce((n, l) => n + Math.round(l.reqRate * l.errorRate), 0);
}

describe.each(DRILLS)('drill %s (short form)', (name) => {
  it('applies and judges every fault, loses no acknowledged post, and passes', async () => {
    const { summary, lines } = await drill(name);
    const faults = summary.faults ?? [];
    expect(faults.length).toBeGreaterThan(0);
    for (const fault of faults) {
      expect(fault.startedAt, fault.name).toBeTruthy();
      expect(fault.endedAt, fault.name).toBeTruthy();
      expect(fault.recoveryMs, `${fault.name}: ${fault.reason}`).not.toBeNull();
      expect(fault.ok, `${fault.name}: ${fault.reason}`).toBe(true);
    }
    const audits = summary.audits!;
    expect(audits.acknowledgedPosts).toBeGreaterThan(20);
    expect(audits.lostPosts).toBe(0);
    expect(audits.unverifiedPosts).toBe(0);
    // Every online member got every post, live, replayed or refetched, whatever the fault.
    expect(audits.missedDeliveries, `${audits.reason}: ${JSON.stringify(audits.missed.slice(0, 5))}`).toBe(0);
    expect(summary.verdict, summary.reason).toBe('pass');

    // No errors before the first fault: every error belongs to a fault window or its recovery.
    const events = lines.filter((l) => l.type === 'fault');
    const first = Math.min(...events.filter((e) => e.phase === 'start').map((e) => e.elapsedS));
    expect(errorsIn(lines, 0, first - 1)).toBe(0);

    if (name === 'disconnected-ops') {
      // The enclave was cut off from outside: the call kept its media, nothing tried to reach out.
      expect(summary.egress).toEqual({ watched: true, failOnFinding: true, findings: [] });
      expect(['unaffected', 'kept']).toContain(faults[0]!.calls?.outcome);
      expect(faults[0]!.calls!.secondsWithoutAudio).toBe(0);
    }
    if (name === 'calls-ws-drop') {
      // Inside the 10 s reconnect window the media sessions survive; past it they are rejoined.
      expect(faults.map((f) => f.calls?.outcome)).toEqual(['kept', 'rejoined']);
      expect(faults[0]!.calls!.secondsWithoutAudio).toBe(0);
    }
    if (name === 'calls-media-impairment') {
      const media = faults[0]!.calls!.media;
      expect(media.mosDuring!).toBeLessThan(media.mosBefore! - 0.2);
      expect(
        media.jitterDuringMs! > media.jitterBeforeMs! || media.lossDuringPct! > media.lossBeforePct!,
      ).toBe(true);
      expect(faults.every((f) => f.calls?.participantsAfter === f.calls?.participantsBefore)).toBe(true);
    }
    if (name === 'ddil-denied') {
      expect(faults.reduce((n, f) => n + f.errorsInWindow, 0)).toBeGreaterThan(0);
    }
    if (name === 'app-node-kill') {
      const end = Math.max(...events.filter((e) => e.phase === 'end').map((e) => e.elapsedS));
      expect(errorsIn(lines, end + (faults[0]!.recoveryMs ?? 0) / 1000 + 2, Number.POSITIVE_INFINITY)).toBe(
        0,
      );
    }
  }, 300_000);
});
