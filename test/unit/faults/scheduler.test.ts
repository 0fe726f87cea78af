import { describe, expect, test } from 'vitest';
import { ExitCleanup } from '../../../src/faults/exit-cleanup.js';
import { FaultScheduler } from '../../../src/faults/scheduler.js';
import type { FaultEntryBase, FaultPlan, PlannedFault } from '../../../src/faults/types.js';
import type { ControllableComponent, RunningStack } from '../../../src/stack/provider.js';
import type { StackDocument } from '../../../src/stack/stack-document.js';
import {
  type Toxic,
  type ToxicSpec,
  type ToxicType,
  ToxiproxyClient,
} from '../../../src/stack/toxiproxy-client.js';

// The scheduler's timing and its guarantee that every fault is removed, against a stack and a
// Toxiproxy that only record what is done to them.

const documentWithProxies: StackDocument = {
  version: 1,
  name: 'fake',
  provider: 'native',
  runDir: '/tmp/fake',
  startedAt: new Date().toISOString(),
  url: 'http://127.0.0.1:1',
  toxiproxy: 'http://127.0.0.1:2',
  admin: { username: 'sysadmin', passwordEnv: 'X' },
  appNodes: [],
  proxies: [
    { name: 'users-lb', link: 'users-lb', listen: '127.0.0.1:3', upstream: '127.0.0.1:4' },
    { name: 'lb-app-1', link: 'lb-app', listen: '127.0.0.1:5', upstream: '127.0.0.1:6' },
  ],
  components: [
    { name: 'app-1', kind: 'app' },
    { name: 'app-2', kind: 'app' },
  ],
};

class FakeStack implements RunningStack {
  readonly calls: string[] = [];
  failStart = 0;

  constructor(readonly document: StackDocument = documentWithProxies) {}

  component(name: string): ControllableComponent {
    const info = this.document.components.find((c) => c.name === name)!;
    const record = (what: string) => async () => {
      this.calls.push(`${what} ${name}`);
    };
    return {
      info,
      kill: record('kill'),
      freeze: record('freeze'),
      thaw: record('thaw'),
      restart: record('restart'),
      start: async () => {
        if (this.failStart-- > 0) throw new Error('start failed');
        this.calls.push(`start ${name}`);
      },
    };
  }
  async down(): Promise<void> {}
  detach(): void {}
}

/** Toxiproxy in memory: toxics and enabled flags per proxy. */
class FakeToxiproxy extends ToxiproxyClient {
  readonly chains = new Map<string, Toxic[]>();
  readonly disabled = new Set<string>();
  constructor() {
    super('http://127.0.0.1:2');
  }
  override async addToxic<T extends ToxicType>(proxy: string, spec: ToxicSpec<T>) {
    const toxic = {
      ...spec,
      name: spec.name!,
      stream: spec.stream ?? 'downstream',
      toxicity: spec.toxicity ?? 1,
    };
    this.chains.set(proxy, [...(this.chains.get(proxy) ?? []), toxic as Toxic]);
    return toxic;
  }
  override async listToxics(proxy: string) {
    return [...(this.chains.get(proxy) ?? [])];
  }
  override async removeToxic(proxy: string, name: string) {
    this.chains.set(
      proxy,
      (this.chains.get(proxy) ?? []).filter((t) => t.name !== name),
    );
  }
  /** Toxic names per proxy. */
  get toxics(): Map<string, string[]> {
    return new Map([...this.chains].map(([proxy, chain]) => [proxy, chain.map((t) => t.name)]));
  }
  override async disableProxy(name: string) {
    this.disabled.add(name);
    return { name, listen: '', upstream: '', enabled: false, toxics: [] };
  }
  override async enableProxy(name: string) {
    this.disabled.delete(name);
    return { name, listen: '', upstream: '', enabled: true, toxics: [] };
  }
  get toxicCount(): number {
    return [...this.toxics.values()].flat().length;
  }
}

function fault(
  name: string,
  kind: PlannedFault['kind'],
  target: string,
  startMs: number,
  durationMs: number,
  fields = {},
): PlannedFault {
  const entry: FaultEntryBase = { kind, name, target, start: startMs, duration: durationMs, ...fields };
  return { name, kind, target, startMs, durationMs, entry, path: ['faults', 0] };
}

function planOf(...faults: PlannedFault[]): FaultPlan {
  faults.sort((a, b) => a.startMs - b.startMs);
  return {
    name: 'test',
    file: 'chaos/test.yaml',
    faults,
    endMs: Math.max(...faults.map((f) => f.startMs + f.durationMs)),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup(plan: FaultPlan, options: { signal?: AbortSignal } = {}, document?: StackDocument) {
  const stack = new FakeStack(document);
  const toxiproxy = new FakeToxiproxy();
  const events: Record<string, unknown>[] = [];
  const exitCleanup = new ExitCleanup();
  const scheduler = new FaultScheduler({
    plan,
    stack,
    toxiproxy,
    events: { writeEvent: (e) => events.push(e) },
    exitCleanup,
    ...options,
  });
  return { stack, toxiproxy, events, exitCleanup, scheduler };
}

describe('fault scheduler', () => {
  test('applies each fault at its offset (within 100 ms) and removes it after its duration', async () => {
    const { stack, toxiproxy, events, scheduler, exitCleanup } = setup(
      planOf(
        fault('slow', 'latency', 'users-lb', 50, 200, { latency: '100ms', stream: 'both' }),
        fault('cut', 'partition', 'lb-app', 100, 100),
        fault('hang', 'freeze', 'app-1', 0, 150),
      ),
    );
    scheduler.start();
    await sleep(120);
    expect(toxiproxy.toxics.get('users-lb')).toEqual(['mmdrill.slow.upstream', 'mmdrill.slow.downstream']);
    expect([...toxiproxy.disabled]).toEqual(['lb-app-1']);
    expect(exitCleanup.size).toBe(4); // two toxics, one proxy, one frozen component
    const windows = await scheduler.done();
    expect(toxiproxy.toxicCount).toBe(0);
    expect(toxiproxy.disabled.size).toBe(0);
    expect(stack.calls).toEqual(['freeze app-1', 'thaw app-1']);
    expect(exitCleanup.size).toBe(0);
    expect(windows.map((w) => [w.name, w.affected, w.recoveryFrom, w.interrupted])).toEqual([
      ['hang', ['app-1'], 'end', false],
      ['slow', ['users-lb'], 'end', false],
      ['cut', ['lb-app-1'], 'end', false],
    ]);
    for (const w of windows) {
      expect(Math.abs(w.startOffsetMs - w.plannedStartOffsetMs)).toBeLessThan(100);
      expect(w.endOffsetMs - w.plannedEndOffsetMs).toBeGreaterThanOrEqual(-1);
      expect(w.endOffsetMs - w.plannedEndOffsetMs).toBeLessThan(100);
      expect(Date.parse(w.endedAt) - Date.parse(w.startedAt)).toBeGreaterThanOrEqual(90);
    }
    expect(events.map((e) => `${e.phase} ${e.name}`)).toEqual([
      'start hang',
      'start slow',
      'start cut',
      'end hang',
      'end cut',
      'end slow',
    ]);
    expect(events[0]).toMatchObject({ type: 'fault', kind: 'freeze', target: 'app-1' });
    expect(typeof events[0]!.elapsedS).toBe('number');
  });

  test('stopAll mid-fault removes every fault in force and cancels the ones not started', async () => {
    const { stack, toxiproxy, events, scheduler, exitCleanup } = setup(
      planOf(
        fault('slow', 'latency', 'users-lb', 0, 10_000, { latency: '1s' }),
        fault('cut', 'partition', 'lb-app-1', 0, 10_000),
        fault('hang', 'freeze', 'app-1', 0, 10_000),
        fault('later', 'kill', 'app-2', 5_000, 1_000),
      ),
    );
    scheduler.start();
    await sleep(50);
    expect(toxiproxy.toxicCount).toBe(1);
    const windows = await scheduler.stopAll();
    expect(toxiproxy.toxicCount).toBe(0);
    expect(toxiproxy.disabled.size).toBe(0);
    expect(stack.calls).toEqual(['freeze app-1', 'thaw app-1']);
    expect(exitCleanup.size).toBe(0);
    expect(windows.map((w) => [w.name, w.interrupted])).toEqual([
      ['slow', true],
      ['cut', true],
      ['hang', true],
    ]);
    expect(events.filter((e) => e.phase === 'end')).toHaveLength(3);
    expect(await scheduler.stopAll()).toEqual(windows);
    await expect(scheduler.done()).resolves.toEqual(windows);
  });

  test('an abort signal does what stopAll does', async () => {
    const abort = new AbortController();
    const { toxiproxy, scheduler } = setup(planOf(fault('cut', 'partition', 'users-lb', 0, 10_000)), {
      signal: abort.signal,
    });
    scheduler.start();
    await sleep(30);
    expect(toxiproxy.disabled.has('users-lb')).toBe(true);
    abort.abort();
    const windows = await scheduler.done();
    expect(toxiproxy.disabled.size).toBe(0);
    expect(windows[0]).toMatchObject({ name: 'cut', interrupted: true });
  });

  test('a kill is restarted after restartAfter, and at the latest when the fault ends', async () => {
    const { stack, scheduler } = setup(
      planOf(
        fault('crash', 'kill', 'app-1', 0, 200, { restartAfter: 50 }),
        fault('crash-2', 'kill', 'app-2', 0, 100),
      ),
    );
    scheduler.start();
    await sleep(120);
    expect(stack.calls).toEqual(['kill app-1', 'kill app-2', 'start app-1', 'start app-2']);
    await scheduler.done();
    expect(stack.calls).toHaveLength(4);
  });

  test('a removal that fails is retried; one that keeps failing is reported in the window', async () => {
    const { stack, scheduler } = setup(planOf(fault('crash', 'kill', 'app-1', 0, 20)));
    stack.failStart = 1;
    scheduler.start();
    const [window] = await scheduler.done();
    expect(stack.calls).toEqual(['kill app-1', 'start app-1']);
    expect(window!.error).toBeUndefined();

    const again = setup(planOf(fault('crash', 'kill', 'app-1', 0, 20)));
    again.stack.failStart = 5;
    again.scheduler.start();
    const [failed] = await again.scheduler.done();
    expect(failed!.error).toBe('removing failed: start failed');
  }, 10_000);

  test('a fault that cannot be applied is recorded with its error, and nothing is left behind', async () => {
    const { toxiproxy, scheduler } = setup(
      planOf(fault('slow', 'latency', 'users-lb', 0, 50, { latency: '1s', stream: 'both' })),
    );
    let calls = 0;
    const add = toxiproxy.addToxic.bind(toxiproxy);
    toxiproxy.addToxic = (async (proxy: string, spec: ToxicSpec) => {
      if (++calls === 2) throw new Error('Toxiproxy said no');
      return add(proxy, spec);
    }) as typeof toxiproxy.addToxic;
    scheduler.start();
    const [window] = await scheduler.done();
    expect(window!.error).toBe('applying failed: Toxiproxy said no');
    expect(toxiproxy.toxicCount).toBe(0);
  });

  test('the tick listener starts the timeline at the load start the tick implies', async () => {
    const { scheduler, toxiproxy } = setup(planOf(fault('cut', 'partition', 'users-lb', 1_000, 100)));
    // A first tick 1 s after the load's start: the fault, due at 1 s, starts now.
    scheduler.tickListener()({ interval: undefined as never, elapsedMs: 1_000, final: false });
    await sleep(20);
    expect(toxiproxy.disabled.has('users-lb')).toBe(true);
    const [window] = await scheduler.done();
    expect(window!.startOffsetMs).toBeGreaterThanOrEqual(1_000);
    expect(window!.startOffsetMs).toBeLessThan(1_100);
  });

  test('object-store-outage: the store is killed and started again when its link has no proxy', async () => {
    const withStore: StackDocument = {
      ...documentWithProxies,
      components: [...documentWithProxies.components, { name: 'object-store', kind: 'object-store' }],
    };
    const { stack, scheduler } = setup(
      planOf(fault('s3', 'object-store-outage', 'object-store', 0, 50)),
      {},
      withStore,
    );
    scheduler.start();
    const [window] = await scheduler.done();
    expect(stack.calls).toEqual(['kill object-store', 'start object-store']);
    expect(window).toMatchObject({ affected: ['object-store'], recoveryFrom: 'end' });
  });

  test('refuses a plan the stack cannot run', () => {
    expect(() =>
      setup(planOf(fault('x', 'kill', 'app-9', 0, 10), fault('y', 'latency', 'lb-app-2', 0, 10))),
    ).toThrow(
      'fault plan test cannot run:\n  x: the stack has no link, proxy or component "app-9"\n  y: the stack has no link, proxy or component "lb-app-2"',
    );
  });
});
