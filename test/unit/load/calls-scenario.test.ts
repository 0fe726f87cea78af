import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { callsLengthMs, withCallsLength } from '../../../src/load/calls/calls-schema.js';
import { loadScenarioFile } from '../../../src/load/scenario.js';
import { parseThresholds } from '../../../src/verdict/thresholds.js';

// The `calls:` section of scenario files: defaults, cross-field rules reported at their line,
// calls-only files, and thresholds on the Calls metrics.

async function load(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'mmdrill-calls-scenario-'));
  const path = join(dir, 's.yaml');
  await writeFile(path, text);
  return loadScenarioFile(path);
}

async function problem(text: string): Promise<string> {
  try {
    await load(text);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('calls section', () => {
  test('scenarios/calls.yaml loads: a calls-only file with defaults filled in', async () => {
    const file = await loadScenarioFile('scenarios/calls.yaml');
    expect(file.scenarios).toEqual({});
    expect(file.calls).toMatchObject({
      count: 2,
      participantsPerCall: 4,
      speakersPerCall: 2,
      media: 'direct',
      screenFps: 3,
    });
  });

  test('more speakers than participants is an error at that field', async () => {
    const message = await problem(
      'name: x\ncalls:\n  count: 1\n  participantsPerCall: 2\n  speakersPerCall: 3\n',
    );
    expect(message).toMatch(
      /s\.yaml:5:\d+ +calls\.speakersPerCall: expected at most participantsPerCall \(2\) speakers, got 3/,
    );
  });

  test('two screen sharers in one call are refused (Calls allows one)', async () => {
    const message = await problem(
      'name: x\ncalls:\n  count: 1\n  participantsPerCall: 4\n  screenSharersPerCall: 2\n',
    );
    expect(message).toMatch(/s\.yaml:5:\d+ +calls\.screenSharersPerCall/);
  });

  test('an unknown media mode lists the choices', async () => {
    const message = await problem('name: x\ncalls:\n  count: 1\n  participantsPerCall: 2\n  media: udp\n');
    expect(message).toMatch(/calls\.media: expected one of direct, turn/);
  });

  test('a file with neither scenarios nor calls is refused', async () => {
    expect(await problem('name: x\n')).toMatch(
      /scenarios: expected at least one scenario \(or a calls section\)/,
    );
  });

  test('thresholds accept the Calls metrics and reject a typo', () => {
    const ok = parseThresholds({
      calls_join_time: ['p(95)<5000'],
      'calls_mos{call:c0}': ['avg>3.5'],
      calls_failed_joins: ['count<1'],
      'calls_audio_packets_received{listener:c0p2,speaker:c0p0}': ['count>0'],
    });
    expect(ok.problems).toEqual([]);
    const typo = parseThresholds({ calls_moss: ['avg>3'] });
    expect(typo.problems[0]?.message).toMatch(/unknown metric "calls_moss".*calls_mos/);
  });

  test('--duration sets the whole Calls load: the calls last what the join window leaves', async () => {
    const { calls } = await loadScenarioFile('scenarios/calls.yaml');
    expect(callsLengthMs(calls!)).toBe(35_000); // 5 s join window + 30 s
    const reshaped = withCallsLength(calls!, 20_000);
    expect(reshaped.duration).toBe('15s');
    expect(callsLengthMs(reshaped)).toBe(20_000);
    // Never shorter than a second of calls.
    expect(withCallsLength(calls!, 2_000).duration).toBe('1s');
  });
});
