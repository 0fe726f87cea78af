import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseConfigText } from '../../src/config/load.js';
import { CallsLoad } from '../../src/load/calls/calls-load.js';
import { ScenarioFileSchema } from '../../src/load/scenario.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import type { IntervalLine } from '../../src/report/timeseries.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { credentialsFile, requireCredentials } from '../../src/seed/credentials.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import type { Summary } from '../../src/summary/summary-schema.js';

// Calls load end to end on the native stack (NGINX in front of two app nodes of the double,
// Toxiproxy, the rtcd double as SFU, coturn): 2 calls × 4 real WebRTC participants (2 speakers,
// 1 screen sharer) for 30 s through `runScenario`. Every participant must connect, every
// listener must hear every speaker of its call all along, join times and MOS must be in
// summary.json and the report, and the screen share must reach the others. Then participants
// lose their WebSocket (reconnect, or rejoin after the 10 s window), and a relay-only call runs
// its media through TURN.

const PASSWORD = 'Calls-test-Passw0rd';
const CALL_S = Number(process.env.MMDRILL_CALLS_TEST_S ?? 30);
const SHAPE = 'name: calls\nteams: 1\nchannels: 1\nusers: 8\nchannelsPerUser: 1\nposts: 0\n';

let stack: RunningStack;
let summary: Summary;
let intervals: IntervalLine[];
let reportMd: string;
let stateDir: string;

/** environments/native.yaml with Calls and TURN, without the parts Calls does not use. */
async function nativeCallsStack(): Promise<RunningStack> {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  if (env.provider !== 'native') throw new Error('environments/native.yaml is not native');
  env.database.replica = false;
  env.objectStore.enabled = false;
  env.calls = { enabled: true, turn: true };
  return new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-calls-stack-'),
    adminPassword: PASSWORD,
  });
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(
  async () => {
    stack = await nativeCallsStack();
    stateDir = await createRunDir('mmdrill-calls-state-');
    const shapeFile = join(stateDir, 'shape-calls.yaml');
    await writeFile(shapeFile, SHAPE);
    const text = `
name: calls-test
seed: ${shapeFile}
calls:
  count: 2
  participantsPerCall: 4
  speakersPerCall: 2
  screenSharersPerCall: 1
  joinWindow: 4s
  duration: ${CALL_S}s
  statsInterval: 1s
thresholds:
  calls_failed_joins: ['count<1']
  calls_mos: ['avg>3.5']
`;
    const outDir = join(stateDir, 'out');
    const log: string[] = [];
    const result = await runScenario({
      scenario: parseConfigText(text, 'calls-test.yaml', ScenarioFileSchema, { kind: 'scenario' }),
      scenarioFile: 'calls-test.yaml',
      stack: stack.document,
      adminPassword: PASSWORD,
      stateDir,
      outDir,
      argv: ['mmdrill', 'run', 'calls-test.yaml'],
      log: (line) => log.push(line),
      quiet: true,
    });
    summary = result.summary;
    if (process.env.MMDRILL_CALLS_TEST_LOG) console.log(log.join('\n'));
    intervals = (await readFile(join(outDir, 'timeseries.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as IntervalLine)
      .filter((l) => l.type === 'interval');
    reportMd = await readFile(join(outDir, 'summary.md'), 'utf8');
  },
  180_000 + CALL_S * 1000,
);

afterAll(async () => {
  await stack?.down();
});

const counter = (key: string) => {
  const m = summary.metrics[key];
  return m?.type === 'counter' ? m.count : 0;
};
const trend = (key: string) => {
  const m = summary.metrics[key];
  return m?.type === 'trend' ? m : undefined;
};

describe('Calls load on the native stack', () => {
  it('every participant connects and no join fails; thresholds pass', () => {
    expect(trend('calls_join_ice_time{call:c0}')?.count).toBe(4);
    expect(trend('calls_join_ice_time{call:c1}')?.count).toBe(4);
    expect(counter('calls_failed_joins')).toBe(0);
    expect(summary.thresholds.every((t) => t.ok && t.value !== null)).toBe(true);
    const participants = summary.metrics.calls_participants;
    expect(participants?.type === 'gauge' && participants.max).toBe(8);
  });

  it('every listener receives audio from every speaker of its call, all along', () => {
    // At 50 packets/s, a pair that flowed for at least half the call has this many.
    const floor = CALL_S * 50 * 0.5;
    for (const call of ['c0', 'c1']) {
      const speakers = [`${call}p0`, `${call}p1`];
      for (const listener of [0, 1, 2, 3].map((i) => `${call}p${i}`)) {
        for (const speaker of speakers) {
          if (speaker === listener) continue;
          const packets = counter(
            `calls_audio_packets_received{call:${call},listener:${listener},speaker:${speaker}}`,
          );
          expect(packets, `${listener} ← ${speaker}`).toBeGreaterThan(floor);
        }
      }
    }
    // Nobody receives audio from a non-speaker, or from another call.
    const keys = Object.keys(summary.metrics).filter((k) => k.startsWith('calls_audio_packets_received{'));
    // Per call: 2 listeners × 2 speakers, and each speaker hears the other one.
    expect(keys).toHaveLength(2 * (2 * 2 + 2 * 1));
    expect(keys.every((k) => /speaker:(c\d)p[01]/.exec(k)?.[1] === /call:(c\d)/.exec(k)?.[1])).toBe(true);
    // And it keeps growing: audio arrives in each of the last 5 s of the calls.
    const withCalls = intervals.filter((l) => (l.calls?.participants ?? 0) === 8);
    expect(withCalls.length).toBeGreaterThan(CALL_S * 0.6);
    for (const line of withCalls.slice(-5)) expect(line.calls!.audioPackets).toBeGreaterThan(0);
    expect(counter('calls_audio_frames_heard')).toBeGreaterThan(CALL_S * 100);
  });

  it('reports join times and MOS in summary.json and the report', () => {
    const join = trend('calls_join_time');
    expect(join?.count).toBe(8);
    expect(join!.p95).toBeGreaterThan(0);
    expect(join!.max).toBeLessThan(10_000);
    const mos = trend('calls_mos');
    expect(mos!.count).toBeGreaterThan(8);
    expect(mos!.avg).toBeGreaterThan(4);
    expect(mos!.max).toBeLessThanOrEqual(4.5);
    for (const name of [
      'calls_rtt',
      'calls_jitter',
      'calls_packet_loss',
      'calls_bitrate_in',
      'calls_bitrate_out',
    ])
      expect(trend(name)?.count, name).toBeGreaterThan(0);
    // Speakers send Opus at tens of kbit/s; everybody receives at least one speaker.
    expect(trend('calls_bitrate_in')!.med).toBeGreaterThan(10);
    expect(reportMd).toContain('### Calls');
    expect(reportMd).toMatch(/\| `c0` \| 4 \| 0 \|/);
  });

  it('the screen share reaches the other participants', () => {
    // 2 calls × 3 receivers at 3 fps; well over a frame a second each on average.
    expect(counter('calls_screen_frames_received{call:c0}')).toBeGreaterThan(3 * CALL_S);
    expect(counter('calls_screen_frames_received{call:c1}')).toBeGreaterThan(3 * CALL_S);
  });
});

/** One call of 3 (c0p0 speaks) driven directly, for checks in the middle of the call. */
async function smallCall(
  registry: MetricsRegistry,
  media: 'direct' | 'turn',
  logs: string[],
  userOffset: number,
) {
  const load = new CallsLoad({
    section: {
      count: 1,
      participantsPerCall: 3,
      speakersPerCall: 1,
      screenSharersPerCall: 0,
      joinWindow: '0s',
      duration: '60s',
      media,
      statsInterval: '1s',
      screenFps: 3,
      startTime: '0s',
    },
    baseUrl: stack.document.url,
    credentials: await requireCredentials(credentialsFile('calls', stateDir)),
    userOffset,
    metrics: registry,
    runTag: `${media}-${userOffset}`,
    log: (line) => logs.push(line),
  });
  const abort = new AbortController();
  await load.prepare(abort.signal);
  const running = load.run(abort.signal);
  const count = (key: string) => {
    const m = registry.snapshot()[key];
    return m?.type === 'counter' ? m.count : 0;
  };
  return {
    load,
    count,
    heard: (listener: string) =>
      count(`calls_audio_packets_received{call:c0,listener:${listener},speaker:c0p0}`),
    stop: async () => {
      abort.abort();
      await running;
      await load.close();
    },
  };
}

describe('Calls participants survive WebSocket drops', () => {
  // c0p1 loses its WebSocket for ~1 s (reconnects, keeps its media session); c0p2 loses it for
  // 13 s, past the server's 10 s window (session torn down: it rejoins).
  const logs: string[] = [];
  let call: Awaited<ReturnType<typeof smallCall>>;

  beforeAll(async () => {
    call = await smallCall(new MetricsRegistry({ startedAt: Date.now() }), 'direct', logs, 0);
    await until(() => call.heard('c0p1') > 0 && call.heard('c0p2') > 0, 15_000, 'audio at both listeners');
  }, 40_000);

  afterAll(async () => {
    await call?.stop();
  });

  it('a short drop reconnects within the window and media keeps flowing; a long one rejoins', async () => {
    const { load, count, heard } = call;
    expect(new Set(load.participants().map((p) => p.session)).size).toBe(3);
    const [, p1, p2] = [...load.participants()].sort((a, b) => a.label.localeCompare(b.label));
    p1!.dropSignalingForTest(0);
    p2!.dropSignalingForTest(13_000);
    await until(() => count('calls_reconnects') >= 1, 8_000, 'the reconnect of c0p1');
    // The media session survived the short drop: audio keeps arriving at c0p1.
    const before = heard('c0p1');
    await until(() => heard('c0p1') > before + 100, 6_000, 'audio after the reconnect');
    expect(count('calls_rejoins')).toBe(0);
    // c0p2 comes back after 13 s: the server has torn its session down, so it joins again
    // (its new session id is its current connection id: the same one if the socket resumed).
    await until(() => count('calls_rejoins') === 1, 25_000, 'the rejoin of c0p2');
    await until(() => p2!.joined, 15_000, 'c0p2 to be in the call again').catch((error: Error) => {
      throw new Error(`${error.message}; participant log: ${logs.join(' | ')}`);
    });
    const afterRejoin = heard('c0p2');
    await until(() => heard('c0p2') > afterRejoin + 100, 10_000, 'audio after the rejoin');
    expect(count('calls_failed_joins')).toBe(0);
    // Both sent `reconnect`; only c0p2's came too late.
    expect(count('calls_reconnects')).toBe(2);
    expect(count('calls_rejoins')).toBe(1);
  }, 60_000);
});

describe('relay-only media through TURN', () => {
  it('a call with media: turn carries audio through coturn (and its Toxiproxy proxy)', async () => {
    const logs: string[] = [];
    const call = await smallCall(new MetricsRegistry({ startedAt: Date.now() }), 'turn', logs, 3);
    try {
      await until(
        () => call.heard('c0p1') > 200 && call.heard('c0p2') > 200,
        20_000,
        'audio over TURN',
      ).catch((error: Error) => {
        throw new Error(`${error.message}; participant log: ${logs.join(' | ')}`);
      });
      expect(call.count('calls_failed_joins')).toBe(0);
    } finally {
      await call.stop();
    }
  }, 60_000);
});
