import { METRIC } from '../metrics/api.js';
import { DERIVED_METRIC } from '../metrics/catalogue.js';
import type { IntervalSnapshot } from '../metrics/interval.js';
import type { Observation } from '../verdict/capacity-criteria.js';
import type { AppNodeReading } from './app-node-metrics.js';

// One second of the run as the capacity criteria see it: the client side from the run's 1-s
// interval (the same figures the time series writes), the server side from the app nodes.

export function observe(interval: IntervalSnapshot, nodes: AppNodeReading): Observation {
  const rate = (name: string) => {
    const sink = interval.sink(name);
    return sink?.type === 'rate' && sink.count > 0 ? sink.rate : null;
  };
  const latency = interval.sink(METRIC.httpReqDuration);
  const hasLatency = latency?.type === 'trend' && latency.count > 0;
  return {
    'client-5xx': rate(DERIVED_METRIC.httpReq5xx),
    'client-timeouts': rate(DERIVED_METRIC.timeoutRate),
    'avg-latency': hasLatency ? latency.avg : null,
    'p99-latency': hasLatency ? latency.percentile(99) : null,
    'server-5xx': nodes.server5xx,
    'app-cpu': nodes.cpu,
    'app-memory': nodes.memory,
  };
}

/** The harness's own second (from the monitor's samples in the interval): saturated or not. */
export function harnessSecond(
  interval: IntervalSnapshot,
  bounds: { eventLoopDelayMs: number; cpu: number } = { eventLoopDelayMs: 100, cpu: 0.95 },
): { saturated: boolean; reason?: string } {
  const delay = interval.sink(METRIC.harnessEventLoopDelay);
  const cpu = interval.sink(METRIC.harnessCpu);
  const delayMs = delay?.type === 'trend' && delay.count > 0 ? delay.max : 0;
  const cpuShare = cpu?.type === 'gauge' && cpu.updated !== 0 ? cpu.value : 0;
  if (delayMs > bounds.eventLoopDelayMs)
    return {
      saturated: true,
      reason: `event-loop delay ${Math.round(delayMs)} ms > ${bounds.eventLoopDelayMs} ms`,
    };
  if (cpuShare >= bounds.cpu)
    return {
      saturated: true,
      reason: `harness CPU ${Math.round(cpuShare * 100)} % of a core ≥ ${Math.round(bounds.cpu * 100)} %`,
    };
  return { saturated: false };
}
