import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { packageRoot } from '../../../src/common/package-root.js';
import { textReader } from '../../../src/faults/config-reader.js';
import {
  type DdilProfile,
  expandProfile,
  loadDdilProfile,
  readDdilProfile,
} from '../../../src/faults/ddil-profile.js';

const shipped = (name: string) => loadDdilProfile(join(packageRoot(), 'chaos', 'ddil', `${name}.yaml`));
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
const at = { name: 'p', target: 'users-lb', startMs: 0, path: ['faults', 0] };
const spans = (
  profile: DdilProfile,
  options: Partial<typeof at> & { scale?: number; seed?: string | number; durationMs?: number } = {},
) => expandProfile(profile, { ...at, ...options }).map((f) => [f.startMs, f.durationMs] as const);

describe('DDIL profiles shipped in chaos/ddil/', () => {
  test('the five profiles load, each citing its sources', async () => {
    const files = (await readdir(join(packageRoot(), 'chaos', 'ddil')))
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(files).toEqual([
      'denied.yaml',
      'disrupted.yaml',
      'intermittent.yaml',
      'limited-hf.yaml',
      'limited-satcom.yaml',
    ]);
    for (const file of files) {
      const profile = await loadDdilProfile(join(packageRoot(), 'chaos', 'ddil', file));
      expect(`${profile.name}.yaml`).toBe(file);
      expect(
        profile.source.some((s) => s.includes('targets-and-workload.md')),
        file,
      ).toBe(true);
    }
  });

  test('limited-satcom: 300 ms each way ± 50 ms and 32 KB/s, for the whole profile', async () => {
    const faults = expandProfile(await shipped('limited-satcom'), at);
    expect(faults.map((f) => [f.kind, f.startMs, f.durationMs, f.entry])).toEqual([
      ['latency', 0, 300_000, expect.objectContaining({ latency: '300ms', jitter: '50ms', stream: 'both' })],
      ['bandwidth', 0, 300_000, expect.objectContaining({ rate: 32, stream: 'both' })],
    ]);
  });

  test('limited-hf: ≈ 1 KB/s and seconds of latency', async () => {
    const [latency, bandwidth] = expandProfile(await shipped('limited-hf'), at);
    expect(latency!.entry).toMatchObject({ kind: 'latency', latency: '1s' });
    expect(bandwidth!.entry).toMatchObject({ kind: 'bandwidth', rate: 1 });
  });

  test('disrupted: resets and slicing on a share of the connections', async () => {
    const faults = expandProfile(await shipped('disrupted'), at);
    expect(faults.map((f) => [f.kind, (f.entry as { toxicity?: number }).toxicity])).toEqual([
      ['reset_peer', 0.1],
      ['slicer', 0.15],
    ]);
  });

  test('denied: the link cut for the whole profile (5 minutes), or as long as the plan says', async () => {
    expect(spans(await shipped('denied'))).toEqual([[0, 300_000]]);
    expect(spans(await shipped('denied'), { durationMs: 30_000, startMs: 20_000 })).toEqual([
      [20_000, 30_000],
    ]);
  });
});

describe('the intermittent schedule', () => {
  test('drops of 10-30 s, starting 1-2 min apart, within the profile', async () => {
    const profile = await shipped('intermittent');
    const drops = spans(profile);
    expect(drops.length).toBeGreaterThanOrEqual(4);
    let previous = 0;
    for (const [start, length] of drops) {
      expect(start - previous).toBeGreaterThanOrEqual(60_000);
      expect(start - previous).toBeLessThanOrEqual(120_000);
      expect(length).toBeGreaterThanOrEqual(10_000);
      expect(start + length).toBeLessThanOrEqual(600_000);
      if (start + length < 600_000) expect(length).toBeLessThanOrEqual(30_000);
      previous = start;
    }
  });

  test('is deterministic for a seed, and another seed gives another schedule', async () => {
    const profile = await shipped('intermittent');
    expect(spans(profile)).toEqual(spans(profile));
    expect(spans(profile, { seed: 42 })).toEqual(spans(await shipped('intermittent'), { seed: 42 }));
    expect(spans(profile, { seed: 42 })).not.toEqual(spans(profile));
    // The profile's own seed is the default.
    expect(spans(profile)).toEqual(spans(profile, { seed: 'intermittent' }));
  });

  test('names each drop and places it after the application start', async () => {
    const faults = expandProfile(await shipped('intermittent'), { ...at, name: 'field', startMs: 30_000 });
    expect(faults[0]).toMatchObject({
      name: 'field/drop-1',
      kind: 'partition',
      target: 'users-lb',
      profile: 'intermittent',
    });
    expect(faults.every((f) => f.startMs > 30_000)).toBe(true);
    expect(faults.map((f) => f.startMs - 30_000)).toEqual(
      spans(await shipped('intermittent')).map(([s]) => s),
    );
  });
});

describe('time scaling', () => {
  test('scale multiplies every time of the profile: same schedule, shorter', async () => {
    const profile = await shipped('intermittent');
    const full = spans(profile);
    const short = spans(profile, { scale: 0.1 });
    expect(short.length).toBe(full.length);
    short.forEach(([start, length], i) => {
      const [fullStart, fullLength] = full[i]!;
      expect(Math.abs(start - fullStart * 0.1)).toBeLessThanOrEqual(1);
      expect(Math.abs(start + length - (fullStart + fullLength) * 0.1)).toBeLessThanOrEqual(1);
    });
    expect(spans(await shipped('denied'), { scale: 0.1 })).toEqual([[0, 30_000]]);
  });

  test('a plan-given duration clips the scaled schedule', async () => {
    const profile = await shipped('intermittent');
    const clipped = spans(profile, { scale: 0.1, durationMs: 20_000 });
    expect(clipped.every(([start, length]) => start + length <= 20_000)).toBe(true);
    expect(clipped).toEqual(
      spans(profile, { scale: 0.1 })
        .filter(([start]) => start < 20_000)
        .map(([s, l]) => [s, Math.min(l, 20_000 - s)]),
    );
  });
});

describe('bad profiles: file, line and field', () => {
  const read = (text: string) => readDdilProfile(textReader(text, 'chaos/ddil/bad.yaml'));
  const base = ['name: bad', 'description: d', 'source: [x]', 'duration: 1m', 'steps:'];

  test('drops that would overlap, an inverted range', async () => {
    const text = lines(
      ...base,
      '  - kind: partition',
      '    repeat:',
      '      every: { min: 20s, max: 10s }',
      '      for: { min: 5s, max: 30s }',
    );
    await expect(read(text)).rejects.toThrow(
      [
        '2 problems in ddil-profile file chaos/ddil/bad.yaml:',
        'chaos/ddil/bad.yaml:8:21  steps[0].repeat.every.min: min must not be more than max',
        'chaos/ddil/bad.yaml:9:28  steps[0].repeat.for.max: occurrences must end before the next starts: for.max must be shorter than every.min',
      ].join('\n'),
    );
  });

  test('process kinds have no place in a link schedule', async () => {
    await expect(read(lines(...base, '  - kind: kill'))).rejects.toThrow(
      /chaos\/ddil\/bad\.yaml:6:11 {2}steps\[0\]\.kind: expected one of latency, bandwidth, timeout, reset_peer, slicer, limit_data, partition, got "kill"/,
    );
  });

  test("a step's own fields are checked against its kind", async () => {
    await expect(read(lines(...base, '  - kind: bandwidth', '    rate: fast'))).rejects.toThrow(
      'chaos/ddil/bad.yaml:7:11  steps[0].rate: expected integer, got string "fast"',
    );
  });
});
