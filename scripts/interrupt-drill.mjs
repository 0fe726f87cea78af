#!/usr/bin/env node
// Interrupts `mmdrill drill drills/app-node-kill.yaml --short` and `mmdrill stack up` at random
// moments and checks what an operator pressing Ctrl-C relies on: the command exits 130 (or 0 when
// its work had already finished), prints "interrupted" and no stack trace or "internal error",
// and leaves no process of its stack (PostgreSQL, NGINX, Toxiproxy, versitygw, double nodes,
// coturn, rtcd) and no toxic behind. Every process the command started is found by walking its
// process tree every 100 ms while it runs; after the exit none of them may be alive, nor any
// process whose command line or working directory is in the run's own directories.
//
//   node scripts/interrupt-drill.mjs [--n 20] [--seed 1] [--only drill|stack-up] [--within S] [--keep]
//
// Needs `npm run build` and the native binaries (scripts/setup.sh). The integration test
// test/integration/interrupts.test.ts runs a few interrupts at chosen phases in CI; this script is
// the long random form (about 15 minutes for 20 interrupts on two cores).

import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const N = Number(flag('n', '20'));
const SEED = Number(flag('seed', String(Date.now() % 100_000)));
const ONLY = flag('only', undefined);
const KEEP = args.includes('--keep');
/** Only moments up to this many seconds (e.g. to hammer the first seconds). */
const WITHIN_S = flag('within', undefined);
/** How long each command runs when left alone (s): the random moment falls in [0, this]. */
const SPAN_S = { drill: 115, 'stack-up': 18 };
/** After the signal the command must be gone within this (s). */
const WIND_DOWN_LIMIT_S = 120;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** pid → { ppid, start } of every process now. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), { state: fields[0], ppid: Number(fields[1]), start: fields[19] });
    } catch {
      // Gone meanwhile.
    }
  }
  return table;
}

function descendants(rootPid, table) {
  const found = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.pop();
    for (const [pid, info] of table) {
      if (info.ppid === parent) {
        found.push({ pid, start: info.start });
        queue.push(pid);
      }
    }
  }
  return found;
}

/** Those of `seen` (pid → start time) still alive (zombies count as gone) after up to `graceMs`. */
async function survivors(seen, graceMs) {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const table = processTable();
    const alive = [...seen].filter(
      ([pid, start]) => table.get(pid)?.start === start && table.get(pid)?.state !== 'Z',
    );
    if (alive.length === 0 || Date.now() > deadline) return alive.map(([pid]) => pid);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function describe(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 160);
  } catch {
    return '?';
  }
}

/** Processes whose command line or working directory lies in `dir`. */
function processesIn(dir) {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let cwd = '';
    try {
      cwd = readlinkSync(`/proc/${name}/cwd`);
    } catch {}
    const cmd = describe(name);
    if (cwd.startsWith(dir) || cmd.includes(dir)) found.push(`${name} ${cmd}`);
  }
  return found;
}

async function toxicsLeft(api) {
  try {
    const response = await fetch(`${api}/proxies`, { signal: AbortSignal.timeout(1_500) });
    const proxies = Object.values(await response.json());
    return proxies.flatMap((p) => [
      ...p.toxics.map((t) => `${p.name}/${t.name}`),
      ...(p.enabled ? [] : [`${p.name} disabled`]),
    ]);
  } catch {
    return []; // Toxiproxy is gone, and its toxics with it (a live process is reported separately).
  }
}

async function interruptOnce(kind, delayMs, workDir) {
  const stateDir = join(workDir, 'state');
  const cmd =
    kind === 'drill'
      ? [
          'drill',
          'drills/app-node-kill.yaml',
          '--short',
          '--out',
          join(workDir, 'out'),
          '--state-dir',
          stateDir,
        ]
      : ['stack', 'up', '--state-dir', stateDir];
  const child = spawn(process.execPath, ['bin/mmdrill.js', ...cmd], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const seen = new Map();
  const watch = setInterval(() => {
    for (const p of descendants(child.pid, processTable())) seen.set(p.pid, p.start);
  }, 100);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let signalledAt = null;
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.kill('SIGINT')) signalledAt = Date.now();
  }, delayMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), delayMs + WIND_DOWN_LIMIT_S * 1000);
  const { code, signal } = await exited;
  const windDownS = signalledAt === null ? null : (Date.now() - signalledAt) / 1000;
  clearTimeout(timer);
  clearTimeout(killer);
  clearInterval(watch);
  const heard = /^(?:SIG(?:INT|TERM):|mmdrill: interrupted)/m.test(output);
  const phase = lastPhase(output, signalledAt !== null);
  const problems = [];
  const recorded = existsSync(join(stateDir, 'stack.json'));
  if (recorded) {
    // `stack up` had recorded the stack before the interrupt: `stack down` must stop all of it.
    const down = spawnSync(process.execPath, ['bin/mmdrill.js', 'stack', 'down', '--state-dir', stateDir], {
      cwd: root,
      encoding: 'utf8',
    });
    if (down.status !== 0) problems.push(`stack down exited ${down.status}: ${down.stderr.slice(-300)}`);
  }
  // Killed by the SIGINT itself: only acceptable before Node had run a line of bin/mmdrill.js
  // (nothing started, nothing printed); a shell reports that as status 130 as well.
  const diedBeforeStart = signal === 'SIGINT' && seen.size === 0 && output === '';
  // 0 only when the work had finished: the command never heard the signal (it was exiting).
  if (!diedBeforeStart && !((code === 130 && heard) || (code === 0 && !heard)))
    problems.push(`exit code ${code}${signal ? ` (signal ${signal})` : ''}`);
  if (code === 130 && !/interrupted/.test(output)) problems.push('no "interrupted" line');
  if (/internal error/.test(output)) problems.push('"internal error" printed');
  if (/^\s+at .+:\d+:\d+\)?$/m.test(output)) problems.push('stack trace printed');
  // A process SIGKILLed on the way out takes a moment to die and be reaped: give it 5 s.
  const alive = await survivors(seen, 5_000);
  if (alive.length > 0)
    problems.push(`left running: ${alive.map((pid) => `${pid} ${describe(pid)}`).join('; ')}`);
  const runDirs = [...output.matchAll(/run directory (\/\S+?);?$/gm)].map((m) => m[1]);
  const inDirs = [workDir, ...runDirs].flatMap((dir) => processesIn(dir));
  if (inDirs.length > 0) problems.push(`processes in the run's directories: ${inDirs.join('; ')}`);
  const api = /toxiproxy\s+(?:[\d.]+ s\s+)?(http:\/\/[\d.:]+)/.exec(output)?.[1];
  if (api) {
    const toxics = await toxicsLeft(api);
    if (toxics.length > 0) problems.push(`toxics left: ${toxics.join(', ')}`);
  }
  return {
    kind,
    delayMs,
    code: diedBeforeStart ? 'SIGINT-before-start' : code,
    recorded,
    phase,
    windDownS,
    started: seen.size,
    problems,
    output,
  };
}

/** The last progress line before the interrupt: which phase it hit. */
function lastPhase(output, signalled) {
  if (signalled && output.trim() === '') return 'loading';
  if (!signalled || !/^(?:SIG(?:INT|TERM):|mmdrill: interrupted)/m.test(output)) return 'finished';
  const before = output.split(/^(?:SIG(?:INT|TERM):|mmdrill: interrupted)/m)[0].trim();
  if (before === '') return 'loading';
  const lines = before.split('\n');
  const line = lines[lines.length - 1] ?? '';
  if (/^\s*✓/.test(line) || /stack up:|drill app-node-kill|run directory/.test(line)) return 'bring-up';
  if (/teams|channels|users|members|posts|admin/.test(line)) return 'seeding';
  if (/preparing/.test(line)) return 'preparing';
  if (/running|VUs|kill|fault/.test(line)) return 'load';
  if (/reports|verdict|audit|taking/.test(line)) return 'reports/down';
  return line.slice(0, 40);
}

const random = mulberry32(SEED);
console.log(`interrupt-drill: ${N} interrupts, seed ${SEED}`);
const results = [];
for (let i = 0; i < N; i++) {
  const kind = ONLY ?? (i % 2 === 0 ? 'drill' : 'stack-up');
  const delayMs = Math.round(random() * Number(WITHIN_S ?? SPAN_S[kind]) * 1000);
  const workDir = mkdtempSync(join(tmpdir(), `mmdrill-interrupt-${i}-`));
  const result = await interruptOnce(kind, delayMs, workDir);
  results.push(result);
  const verdict = result.problems.length === 0 ? 'ok' : `FAIL: ${result.problems.join(' | ')}`;
  console.log(
    `${String(i + 1).padStart(2)} ${kind.padEnd(8)} SIGINT at ${(delayMs / 1000).toFixed(1).padStart(5)} s (${result.phase}) → exit ${result.code}` +
      `${result.windDownS === null ? '' : `, gone ${result.windDownS.toFixed(1)} s later`}, ${result.started} processes seen${result.recorded ? ', stack recorded → stack down' : ''}: ${verdict}`,
  );
  if (result.problems.length > 0) console.log(result.output.split('\n').slice(-15).join('\n'));
  if (!KEEP && result.problems.length === 0) rmSync(workDir, { recursive: true, force: true });
  else if (existsSync(workDir)) {
    writeFileSync(join(workDir, 'output.log'), result.output);
    console.log(`   kept ${workDir} (output.log: everything the command printed)`);
  }
}
const failed = results.filter((r) => r.problems.length > 0);
const windDowns = results.flatMap((r) => (r.windDownS === null ? [] : [r.windDownS])).sort((a, b) => a - b);
const codes = new Map();
for (const r of results) codes.set(String(r.code), (codes.get(String(r.code)) ?? 0) + 1);
const byCode = [...codes].map(([c, n]) => `${c}×${n}`);
console.log(
  `\n${N - failed.length}/${N} clean; exit codes ${byCode.join(', ')}; phases ${[...new Set(results.map((r) => r.phase))].join(', ')}; ` +
    `wind-down after SIGINT: median ${windDowns[Math.floor(windDowns.length / 2)]?.toFixed(1) ?? '-'} s, max ${windDowns.at(-1)?.toFixed(1) ?? '-'} s`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
