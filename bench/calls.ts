// npm run bench:calls — how many Calls participants one harness core sustains with stable media.
//   node dist/bench/calls.js [--steps 8,16,24,32,48,64] [--step-seconds 20] [--per-call 4] [--stats-interval 2s]
// Starts the double with its rtcd SFU, pins this process (every thread: libwebrtc's too) to
// core 0 with taskset, then runs calls of 4 participants (2 speakers) in growing steps until
// media degrades: audio loss p95 > 1 %, MOS avg < 4.0, a failed join, or the harness's own
// event-loop delay p99 > 100 ms. Prints the last stable step and CPU per participant.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CallsLoad } from '../src/load/calls/calls-load.js';
import type { CallsSection } from '../src/load/calls/calls-schema.js';
import { MetricsRegistry } from '../src/metrics/registry.js';
import type { SeriesSnapshot } from '../src/metrics/sinks.js';
import { credentialsFile, requireCredentials } from '../src/seed/credentials.js';
import { seed } from '../src/seed/seeder.js';
import { resolveShape } from '../src/seed/shape.js';
import { findOnPath } from '../src/stack/native/binaries.js';
import { startDoubleCluster } from '../src/stack/native/double-cluster.js';
import { createRunDir } from '../src/stack/native/run-dir.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '4,8,16,24,32,40,48,64' },
    'step-seconds': { type: 'string', default: '20' },
    'per-call': { type: 'string', default: '4' },
    'stats-interval': { type: 'string', default: '2s' },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const PASSWORD = 'Bench-calls-Passw0rd';
const LIMITS = { lossP95: 1, mosAvg: 4.0, lagP99Ms: 100 };

interface StepResult {
  participants: number;
  joined: number;
  failed: number;
  mosAvg: number;
  lossP95: number;
  jitterP95: number;
  harnessCpu: number;
  rtcdCpu: number;
  lagP99Ms: number;
  stable: boolean;
}

/** CPU seconds of a process (all threads) from /proc. */
function procCpuS(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const trend = (snap: Record<string, SeriesSnapshot>, key: string) => {
  const s = snap[key];
  return s?.type === 'trend' ? s : undefined;
};
const count = (snap: Record<string, SeriesSnapshot>, key: string) => {
  const s = snap[key];
  return s?.type === 'counter' ? s.count : 0;
};

async function main(): Promise<void> {
  const steps = values.steps.split(',').map(Number);
  const stepS = Number(values['step-seconds']);
  const perCall = Number(values['per-call']);
  const most = Math.max(...steps);
  say(`bench:calls — ${new Date().toISOString().slice(0, 10)}, Node.js ${process.versions.node}`);

  const cluster = await startDoubleCluster({ nodes: 1, objectStore: false, calls: true });
  try {
    const stateDir = await createRunDir('mmdrill-bench-calls-');
    const shapeFile = join(stateDir, 'shape.yaml');
    writeFileSync(
      shapeFile,
      `name: bench-calls\nteams: 1\nchannels: 1\nusers: ${most}\nchannelsPerUser: 1\nposts: 0\n`,
    );
    await fetch(`${cluster.url}/api/v4/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'sysadmin', email: 'sysadmin@example.com', password: PASSWORD }),
    });
    await seed({
      target: { url: cluster.url, admin: { username: 'sysadmin', password: PASSWORD } },
      shape: await resolveShape(shapeFile),
      credentialsPath: credentialsFile('bench-calls', stateDir),
    });
    const credentials = await requireCredentials(credentialsFile('bench-calls', stateDir));
    const taskset = findOnPath('taskset');
    if (taskset) {
      // The double and its SFU were started before: they keep every core. This process's threads go to core 0.
      execFileSync(taskset, ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
      // The SFU off core 0, so the harness core is its own.
      execFileSync(taskset, ['-a', '-p', '-c', '1', String(cluster.rtcd!.pid)], { stdio: 'ignore' });
      say('harness pinned to core 0 (taskset -a -p -c 0), rtcd double to core 1');
    } else say('taskset missing: not pinned');
    say(
      `steps of ${stepS} s (join window 5 s); calls of ${perCall} (2 speakers); limits: loss p95 ≤ ${LIMITS.lossP95} %, MOS avg ≥ ${LIMITS.mosAvg}, loop delay p99 ≤ ${LIMITS.lagP99Ms} ms`,
    );
    say(
      'participants  joined  failed  MOS avg  loss p95  jitter p95  harness CPU  CPU/participant  rtcd CPU  loop p99',
    );
    const results: StepResult[] = [];
    for (const participants of steps) {
      const result = await runStep(participants, perCall, stepS, credentials, cluster.url, cluster.rtcd!.pid);
      results.push(result);
      say(
        `${String(participants).padStart(12)}  ${String(result.joined).padStart(6)}  ${String(result.failed).padStart(6)}  ${result.mosAvg.toFixed(2).padStart(7)}  ${`${result.lossP95.toFixed(2)} %`.padStart(8)}  ${`${result.jitterP95.toFixed(1)} ms`.padStart(10)}  ${`${(result.harnessCpu * 100).toFixed(0)} %`.padStart(11)}  ${`${((result.harnessCpu * 100) / participants).toFixed(2)} %`.padStart(15)}  ${`${(result.rtcdCpu * 100).toFixed(0)} %`.padStart(8)}  ${`${result.lagP99Ms.toFixed(0)} ms`.padStart(8)}${result.stable ? '' : '  ← degraded'}`,
      );
      if (!result.stable) break;
    }
    const stable = results.filter((r) => r.stable).at(-1);
    say(
      stable
        ? `\nmost participants with stable media on one harness core: ${stable.participants} (${((stable.harnessCpu * 100) / stable.participants).toFixed(2)} % of a core each)`
        : '\nno step was stable',
    );
  } finally {
    await cluster.stop();
  }
}

async function runStep(
  participants: number,
  perCall: number,
  stepS: number,
  credentials: Awaited<ReturnType<typeof requireCredentials>>,
  url: string,
  rtcdPid: number,
): Promise<StepResult> {
  const registry = new MetricsRegistry({ startedAt: Date.now() });
  const section: CallsSection = {
    count: Math.max(1, Math.round(participants / perCall)),
    participantsPerCall: perCall,
    speakersPerCall: Math.min(2, perCall),
    screenSharersPerCall: 0,
    joinWindow: '5s',
    duration: `${stepS}s`,
    media: 'direct',
    statsInterval: values['stats-interval'],
    screenFps: 3,
    startTime: '0s',
  };
  const load = new CallsLoad({
    section,
    baseUrl: url,
    credentials,
    userOffset: 0,
    metrics: registry,
    runTag: `${Date.now().toString(36)}-${participants}`,
    log: () => undefined,
  });
  const abort = new AbortController();
  await load.prepare(abort.signal);
  // Measure the steady part only: after the joins and a few seconds of settling.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const running = load.run(abort.signal);
  await new Promise((r) => setTimeout(r, 8_000));
  const cpu0 = process.cpuUsage();
  const rtcd0 = procCpuS(rtcdPid);
  const t0 = performance.now();
  lag.enable();
  await running;
  lag.disable();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rtcdCpu = (procCpuS(rtcdPid) - rtcd0) / wallS;
  await load.close();
  const snap = registry.snapshot();
  const mos = trend(snap, 'calls_mos');
  const loss = trend(snap, 'calls_packet_loss');
  const jitter = trend(snap, 'calls_jitter');
  const joined = trend(snap, 'calls_join_ice_time')?.count ?? 0;
  const failed = count(snap, 'calls_failed_joins');
  const harnessCpu = (cpu.user + cpu.system) / 1e6 / wallS;
  const lagP99Ms = lag.percentile(99) / 1e6;
  const result = {
    participants,
    joined,
    failed,
    mosAvg: mos?.avg ?? 0,
    lossP95: loss?.p95 ?? 100,
    jitterP95: jitter?.p95 ?? 0,
    harnessCpu,
    rtcdCpu,
    lagP99Ms,
  };
  const stable =
    failed === 0 &&
    joined === section.count * perCall &&
    result.lossP95 <= LIMITS.lossP95 &&
    result.mosAvg >= LIMITS.mosAvg &&
    lagP99Ms <= LIMITS.lagP99Ms;
  // Let the SFU release the step's sessions before the next one.
  await new Promise((r) => setTimeout(r, 2_000));
  return { ...result, stable };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
