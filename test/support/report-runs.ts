import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/common/package-root.js';
import type { IntervalLine } from '../../src/report/timeseries.js';
import type { FaultVerdict, Summary } from '../../src/summary/summary-schema.js';

// Run directories for the report suites. The base is a real run (`mmdrill run
// scenarios/messaging.yaml --users 100 --duration 60s --env environments/native.yaml`, copied to
// test/fixtures/runs/messaging); the variants are copies with crafted fault events, fault
// verdicts and audits, as a drill writes them.

export const REAL_RUN = join(packageRoot(), 'test', 'fixtures', 'runs', 'messaging');
/** A real drill (`mmdrill drill drills/app-node-kill.yaml --short`): one fault, its verdict, audits. */
export const REAL_DRILL = join(packageRoot(), 'test', 'fixtures', 'runs', 'app-node-kill');

export async function readRealRun(): Promise<{ summary: Summary; lines: string[] }> {
  const summary = JSON.parse(await readFile(join(REAL_RUN, 'summary.json'), 'utf8')) as Summary;
  const lines = (await readFile(join(REAL_RUN, 'timeseries.ndjson'), 'utf8')).split('\n').filter(Boolean);
  return { summary, lines };
}

export async function writeRun(
  dir: string,
  summary: Summary,
  lines: readonly string[] | undefined,
  tail = '',
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (lines !== undefined) await writeFile(join(dir, 'timeseries.ndjson'), `${lines.join('\n')}\n${tail}`);
  return dir;
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mmdrill-${prefix}-`));
}

export interface CraftedFault {
  name: string;
  kind: string;
  target: string;
  startS: number;
  endS: number;
  ok: boolean;
}

export const CRAFTED_FAULTS: readonly CraftedFault[] = [
  { name: 'app-1-latency', kind: 'latency', target: 'lb->app-1', startS: 15, endS: 30, ok: true },
  {
    name: 'primary-failover',
    kind: 'db-failover',
    target: 'postgres-primary',
    startS: 40,
    endS: 48,
    ok: false,
  },
];

function verdictFor(f: CraftedFault, startedAtMs: number): FaultVerdict {
  return {
    name: f.name,
    kind: f.kind,
    target: f.target,
    startedAt: new Date(startedAtMs + f.startS * 1000).toISOString(),
    endedAt: new Date(startedAtMs + f.endS * 1000).toISOString(),
    interrupted: false,
    recoveryFrom: f.kind === 'db-failover' ? 'start' : 'end',
    timeToFirstErrorMs: f.ok ? null : 1000,
    requestsInWindow: 120,
    errorsInWindow: f.ok ? 0 : 37,
    errorRateInWindow: f.ok ? 0 : 37 / 120,
    p99InWindowMs: f.ok ? 180 : 5000,
    baselineP99Ms: 60,
    recoveryMs: f.ok ? 2000 : null,
    maxRecoveryMs: 30_000,
    errorBudget: { failedRequests: f.ok ? 0 : 37, requests: 140, allowed: f.ok ? 5 : 10 },
    errorBudgetSpent: f.ok ? 0 : 3.7,
    wsReconnects: f.ok ? 0 : 100,
    wsReconnectTimeMs: f.ok ? null : { p50: 800, p95: 2400, max: 4100 },
    ok: f.ok,
    reason: f.ok
      ? 'recovered in 2 s (limit 30 s) within the error budget'
      : 'not recovered before the run ended; 37 failed requests against 10 allowed',
  };
}

/**
 * The real run with fault events interleaved in its time series (and errors inside the failing
 * window), fault verdicts and failed audits in its summary: what a drill's run directory holds.
 */
export async function craftFaultedRun(
  dir: string,
  options: { faults?: readonly CraftedFault[]; partial?: boolean } = {},
): Promise<string> {
  const faults = options.faults ?? CRAFTED_FAULTS;
  const { summary, lines } = await readRealRun();
  const first = JSON.parse(lines[0]!) as IntervalLine;
  const origin = Date.parse(first.t) - first.elapsedS * 1000;
  const out: string[] = [];
  const event = (f: CraftedFault, phase: 'start' | 'end') =>
    JSON.stringify({
      type: 'fault',
      phase,
      name: f.name,
      kind: f.kind,
      target: f.target,
      t: new Date(origin + (phase === 'start' ? f.startS : f.endS) * 1000).toISOString(),
      elapsedS: phase === 'start' ? f.startS : f.endS,
    });
  const pending = faults.flatMap((f) => [
    { at: f.startS, line: event(f, 'start') },
    { at: f.endS, line: event(f, 'end') },
  ]);
  pending.sort((a, b) => a.at - b.at);
  for (const text of lines) {
    const line = JSON.parse(text) as IntervalLine;
    while (pending.length > 0 && pending[0]!.at <= line.elapsedS) out.push(pending.shift()!.line);
    const failing = faults.find((f) => !f.ok && line.elapsedS > f.startS && line.elapsedS <= f.endS);
    if (failing) {
      line.errorRate = 0.3;
      line.http5xxRate = 0.25;
      line.httpP99Ms = 5000;
    }
    out.push(JSON.stringify(line));
  }
  out.push(...pending.map((p) => p.line));
  summary.faults = faults.map((f) => verdictFor(f, origin));
  summary.audits = {
    acknowledgedPosts: 5,
    lostPosts: 1,
    lostPostIds: ['lostpost0000000000000000001'],
    unverifiedPosts: 0,
    expectedDeliveries: 500,
    missedDeliveries: 2,
    missed: [
      {
        postId: 'post00000000000000000000001',
        channelId: 'chan00000000000000000000001',
        senderVu: 3,
        memberVu: 7,
      },
      {
        postId: 'post00000000000000000000001',
        channelId: 'chan00000000000000000000001',
        senderVu: 3,
        memberVu: 9,
      },
    ],
    ok: false,
    reason: '1 acknowledged post lost; 2 deliveries missed',
  };
  summary.verdict = 'fail';
  summary.reason = `2 check(s) failed: fault ${faults.find((f) => !f.ok)?.name ?? ''} not recovered; audits failed`;
  summary.partial = options.partial ?? false;
  return writeRun(dir, summary, out);
}
