import { seededRandom } from '../src/common/seeded-random.js';
import type { IntervalLine } from '../src/report/timeseries.js';

// A synthetic time series as `mmdrill run` writes it: one interval line per second with
// plausible, noisy values, and fault events with errors and slow requests inside some windows.
// Deterministic (seeded), so two benchmark runs chart the same data.

export interface SyntheticFault {
  name: string;
  kind: string;
  target: string;
  startS: number;
  endS: number;
  /** Share of requests failing inside the window. */
  errorRate: number;
}

/** `count` faults spread evenly over `seconds`, each lasting `lengthS`. */
export function spreadFaults(seconds: number, count: number, lengthS: number): SyntheticFault[] {
  const kinds = [
    ['latency', 'lb->app-1'],
    ['partition', 'app-2->postgres'],
    ['kill', 'app-1'],
    ['db-failover', 'postgres-primary'],
    ['object-store-outage', 'object-store'],
    ['bandwidth', 'users->lb'],
  ] as const;
  return Array.from({ length: count }, (_, i) => {
    const [kind, target] = kinds[i % kinds.length]!;
    const startS = Math.round(((i + 0.5) * seconds) / count - lengthS / 2);
    return {
      name: `${kind}-${i + 1}`,
      kind,
      target,
      startS,
      endS: startS + lengthS,
      errorRate: i % 2 === 0 ? 0.2 : 0,
    };
  });
}

export function syntheticTimeseries(
  seconds: number,
  faults: readonly SyntheticFault[],
  startedAt: Date,
): string[] {
  const rng = seededRandom(42);
  const random = () => rng.next();
  const r3 = (v: number) => Math.round(v * 1000) / 1000;
  const events = faults
    .flatMap((f) => [
      { at: f.startS, phase: 'start' as const, f },
      { at: f.endS, phase: 'end' as const, f },
    ])
    .sort((a, b) => a.at - b.at);
  const lines: string[] = [];
  for (let s = 1; s <= seconds; s++) {
    while (events.length > 0 && events[0]!.at <= s) {
      const { phase, f, at } = events.shift()!;
      lines.push(
        JSON.stringify({
          type: 'fault',
          phase,
          name: f.name,
          kind: f.kind,
          target: f.target,
          t: new Date(startedAt.getTime() + at * 1000).toISOString(),
          elapsedS: at,
        }),
      );
    }
    const fault = faults.find((f) => s > f.startS && s <= f.endS);
    const slow = fault ? 8 : 1;
    const p50 = r3((8 + random() * 4) * slow);
    const line: IntervalLine = {
      type: 'interval',
      t: new Date(startedAt.getTime() + s * 1000).toISOString(),
      elapsedS: s,
      intervalS: 1,
      reqRate: r3(400 + 60 * Math.sin(s / 300) + random() * 40),
      errorRate: r3(fault ? fault.errorRate * (0.5 + random()) : random() < 0.02 ? 0.001 : 0),
      http5xxRate: r3(fault ? fault.errorRate * 0.8 : 0),
      timeouts: 0,
      httpP50Ms: p50,
      httpP95Ms: r3(p50 * (2.5 + random())),
      httpP99Ms: r3(p50 * (4 + random() * 2)),
      actionP50Ms: r3(p50 * 1.5),
      actionP95Ms: r3(p50 * 4),
      actionP99Ms: r3(p50 * 7),
      vus: 1000,
      wsSessions: fault?.kind === 'kill' ? 500 + Math.round(random() * 50) : 1000,
      deliveryP50Ms: r3(15 + random() * 5),
      deliveryP99Ms: r3((60 + random() * 30) * slow),
      iterations: 0,
      droppedIterations: 0,
      eventLoopDelayP99Ms: r3(2 + random()),
      cpu: r3(0.3 + random() * 0.1),
    };
    lines.push(JSON.stringify(line));
  }
  return lines;
}
