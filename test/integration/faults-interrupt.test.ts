import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { ExitCleanup } from '../../src/faults/exit-cleanup.js';
import { parseFaultPlanText } from '../../src/faults/plan.js';
import { FaultScheduler } from '../../src/faults/scheduler.js';
import { catalogFromStack } from '../../src/faults/targets.js';
import type { FaultPlan } from '../../src/faults/types.js';
import type { Environment } from '../../src/stack/environment.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { isPidAlive, processesWithCwd, processState } from '../../src/stack/native/procfs.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';

// A fault is always removed: when the run is interrupted mid-fault (the drill aborts the
// scheduler), and — the last resort — when the process exits with faults in force.

let env: Environment;
let stack: RunningStack;
let toxiproxy: ToxiproxyClient;

beforeAll(async () => {
  env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-faults-interrupt-'),
    adminPassword: 'Interrupt-test-Passw0rd',
  });
  toxiproxy = new ToxiproxyClient(stack.document.toxiproxy!);
});

afterAll(async () => {
  await stack?.down();
});

const pid = (name: string) => stack.document.components.find((c) => c.name === name)!.pid!;

async function planOf(...faults: string[][]): Promise<FaultPlan> {
  const rows = faults.flatMap((f) => f.map((row, i) => `${i === 0 ? '  - ' : '    '}${row}`));
  return parseFaultPlanText(
    ['name: interrupt', 'faults:', ...rows, ''].join('\n'),
    'chaos/interrupt.yaml',
    env,
    {
      catalog: catalogFromStack(stack.document),
    },
  );
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Every proxy enabled, no toxic anywhere. */
async function linksClean(): Promise<boolean> {
  return (await toxiproxy.listProxies()).every((p) => p.enabled && p.toxics.length === 0);
}

describe('interrupted mid-fault', () => {
  it('aborting the scheduler removes the toxic, the freeze and the partition, and cancels what had not started', async () => {
    const plan = await planOf(
      ['kind: latency', 'target: users-lb', 'stream: both', 'latency: 500ms', 'start: 0s', 'duration: 10m'],
      ['kind: freeze', 'target: app-1', 'start: 0s', 'duration: 10m'],
      ['kind: partition', 'target: lb-app-2', 'start: 0s', 'duration: 10m'],
      ['kind: kill', 'target: app-2', 'start: 5m', 'duration: 1m'],
    );
    const abort = new AbortController();
    const scheduler = new FaultScheduler({ plan, stack, toxiproxy, signal: abort.signal });
    scheduler.start();
    await until(() => scheduler.activeFaults.length === 3, 30_000, 'three faults in force');
    expect((await toxiproxy.listToxics('users-lb')).length).toBe(2);
    expect((await toxiproxy.getProxy('lb-app-2')).enabled).toBe(false);
    expect(processState(pid('app-1'))).toBe('T');

    abort.abort(); // as SIGINT does through the drill
    const windows = await scheduler.done();

    expect(await linksClean()).toBe(true);
    expect(processState(pid('app-1'))).not.toBe('T');
    expect(isPidAlive(pid('app-2'))).toBe(true); // the kill never started
    expect(windows.map((w) => [w.name, w.interrupted, w.error])).toEqual([
      ['latency-users-lb', true, undefined],
      ['freeze-app-1', true, undefined],
      ['partition-lb-app-2', true, undefined],
    ]);
    const answer = await fetch(`${stack.document.url}/api/v4/system/ping`);
    expect(answer.status).toBe(200);
  });

  it('stopAll while a fault is still being applied waits for it, then removes it', async () => {
    const plan = await planOf(['kind: freeze', 'target: postgres-replica', 'start: 0s', 'duration: 10m']);
    const scheduler = new FaultScheduler({ plan, stack, toxiproxy });
    scheduler.start();
    await sleep(0); // the freeze has begun, not finished
    const windows = await scheduler.stopAll();
    expect(windows).toHaveLength(1);
    const members = processesWithCwd(stack.dataDirs!['postgres-replica']!);
    expect(members.length).toBeGreaterThan(1);
    expect(members.filter((p) => processState(p) === 'T')).toEqual([]);
  });
});

describe('the process exits with faults in force', () => {
  it('the exit-time undo thaws every frozen process and clears Toxiproxy, synchronously', async () => {
    const exitCleanup = new ExitCleanup();
    const plan = await planOf(
      ['kind: freeze', 'target: postgres-replica', 'start: 0s', 'duration: 10m'],
      ['kind: latency', 'target: lb-app', 'latency: 1s', 'start: 0s', 'duration: 10m'],
      ['kind: partition', 'target: users-lb', 'start: 0s', 'duration: 10m'],
    );
    const scheduler = new FaultScheduler({ plan, stack, toxiproxy, exitCleanup });
    scheduler.start();
    await until(() => scheduler.activeFaults.length === 3, 30_000, 'three faults in force');
    // PostgreSQL backends each run in their own session: the freeze found them all.
    const replica = processesWithCwd(stack.dataDirs!['postgres-replica']!);
    expect(replica.length).toBeGreaterThan(1);
    expect(replica.every((p) => processState(p) === 'T')).toBe(true);
    expect(await linksClean()).toBe(false);

    exitCleanup.runNow(); // what process.on('exit') runs: no awaiting

    expect(replica.filter((p) => processState(p) === 'T')).toEqual([]);
    expect(await linksClean()).toBe(true);
    expect(exitCleanup.size).toBe(0);
    // The normal removal still runs cleanly afterwards (idempotent against an undone fault).
    const windows = await scheduler.stopAll();
    expect(windows.map((w) => w.error)).toEqual([undefined, undefined, undefined]);
  });
});
