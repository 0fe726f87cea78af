import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Behaviour, ExecutorContext, Iteration } from '../../../src/load/types.js';
import type { Counter, Gauge, Metrics, Rate, Tags, Trend } from '../../../src/metrics/api.js';

// Test doubles for the executor tests: an in-memory Metrics and behaviours whose timing the test
// controls. (The real registry lives in src/metrics/registry.ts.)

const key = (name: string, tags?: Tags) =>
  tags === undefined || Object.keys(tags).length === 0
    ? name
    : `${name}{${Object.entries(tags)
        .map(([k, v]) => `${k}:${v}`)
        .join(',')}}`;

export class FakeMetrics implements Metrics {
  readonly counters = new Map<string, number>();
  readonly trends = new Map<string, number[]>();
  readonly gauges = new Map<string, number[]>();

  trend(name: string): Trend {
    return { add: (value, tags) => this.list(this.trends, key(name, tags)).push(value) };
  }
  counter(name: string): Counter {
    return {
      add: (n = 1, tags) => this.counters.set(key(name, tags), (this.counters.get(key(name, tags)) ?? 0) + n),
    };
  }
  rate(_name: string): Rate {
    return { add: () => undefined };
  }
  gauge(name: string): Gauge {
    return { set: (value, tags) => this.list(this.gauges, key(name, tags)).push(value) };
  }

  count(name: string, scenario = 'test'): number {
    return this.counters.get(key(name, { scenario })) ?? 0;
  }
  values(name: string, scenario = 'test'): number[] {
    return this.trends.get(key(name, { scenario })) ?? [];
  }
  /** Every value the gauge was set to, in order. */
  gaugeHistory(name: string, scenario = 'test'): number[] {
    return this.gauges.get(key(name, { scenario })) ?? [];
  }

  private list(map: Map<string, number[]>, k: string): number[] {
    let list = map.get(k);
    if (!list) {
      list = [];
      map.set(k, list);
    }
    return list;
  }
}

export interface StartedIteration extends Iteration {
  /** performance.now() when iterate() was called. */
  startedAt: number;
  signal: AbortSignal;
  /** performance.now() when the iteration settled; undefined while it runs. */
  endedAt?: number;
  /** Its signal had aborted when it settled (it was cut). */
  cut?: boolean;
}

/** A behaviour that records what it is asked to do; `body` decides how each iteration behaves. */
export class TestBehaviour implements Behaviour {
  readonly started: StartedIteration[] = [];
  readonly initialised: number[] = [];
  closed = false;

  constructor(
    private readonly body: (iteration: Iteration, signal: AbortSignal) => Promise<void> = async () =>
      undefined,
    private readonly init: (vu: number, signal: AbortSignal) => Promise<void> = async () => undefined,
  ) {}

  async initVu(vu: number, signal: AbortSignal): Promise<void> {
    await this.init(vu, signal);
    this.initialised.push(vu);
  }

  iterate(iteration: Iteration, signal: AbortSignal): Promise<void> {
    const record: StartedIteration = { ...iteration, startedAt: performance.now(), signal };
    this.started.push(record);
    const settled = () => {
      record.endedAt = performance.now();
      record.cut = signal.aborted;
    };
    const result = this.body(iteration, signal);
    result.then(settled, settled);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Waits `ms`, or rejects with the abort reason once `signal` aborts (as a well-behaved action does). */
export function work(ms: number) {
  return (_iteration: Iteration, signal: AbortSignal) => sleep(ms, undefined, { signal });
}

/** Never ends by itself; ends (rejecting) when its signal aborts. */
export function hang() {
  return (_iteration: Iteration, signal: AbortSignal) =>
    new Promise<void>((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
}

export function context(behaviour: Behaviour, signal = new AbortController().signal) {
  const metrics = new FakeMetrics();
  const ctx: ExecutorContext = { scenario: 'test', behaviour, metrics, signal };
  return { ctx, metrics };
}

/** Runs `fn` and returns how long it took in milliseconds. */
export async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
