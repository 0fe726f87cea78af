// One load generator run for bench:engine's wrk-ratio section, in its own process so that it can
// be pinned to a core: constant-vus, each VU one GET per iteration, after a warm-up.
//   node dist/bench/engine/http-load.js --url URL --client fetch|agent|undici --vus 50 --duration 10 [--bare]
// --bare: the same GETs from plain async loops, without the executor (its overhead is the gap).
// Prints one JSON line: { client, vus, seconds, requests, failed, requestsPerSecond, cpuSeconds }.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ConstantVus } from '../../src/load/executors/constant-vus.js';
import type { Behaviour } from '../../src/load/types.js';
import { MetricsRegistry } from '../../src/metrics/registry.js';
import { HTTP_CLIENTS, type HttpClientKind, httpGetBehaviour } from './http-get.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    client: { type: 'string', default: 'fetch' },
    vus: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    bare: { type: 'boolean', default: false },
  },
});
const client = values.client as HttpClientKind;
if (!values.url || !HTTP_CLIENTS.includes(client)) {
  process.stderr.write(
    `usage: http-load.js --url URL --client ${HTTP_CLIENTS.join('|')} [--vus N] [--duration S]\n`,
  );
  process.exit(2);
}
const vus = Number(values.vus);

async function phase(seconds: number) {
  const behaviour = httpGetBehaviour(client, values.url as string, vus);
  const metrics = new MetricsRegistry();
  const executor = new ConstantVus({ vus, durationMs: seconds * 1000, gracefulStopMs: 5000, startTimeMs: 0 });
  const ctx = { scenario: 'http', behaviour, metrics, signal: new AbortController().signal };
  await executor.prepare(ctx);
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (values.bare) await bareLoops(behaviour, seconds);
  else await executor.run(ctx);
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await behaviour.close();
  return { behaviour, elapsed, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** `vus` loops of back-to-back iterations, no executor, no metrics. */
async function bareLoops(behaviour: Behaviour, seconds: number): Promise<void> {
  const end = performance.now() + seconds * 1000;
  const signal = new AbortController().signal;
  let iteration = 0;
  await Promise.all(
    Array.from({ length: vus }, async (_, vu) => {
      while (performance.now() < end) {
        await behaviour.iterate(
          {
            scenario: 'http',
            vu,
            iteration: iteration++,
            intendedStart: performance.now(),
            openModel: false,
          },
          signal,
        );
      }
    }),
  );
}

await phase(Number(values.warmup));
const { behaviour, elapsed, cpuSeconds } = await phase(Number(values.duration));
process.stdout.write(
  `${JSON.stringify({
    client,
    vus,
    seconds: elapsed,
    requests: behaviour.completed(),
    failed: behaviour.failed(),
    requestsPerSecond: behaviour.completed() / elapsed,
    cpuSeconds,
  })}\n`,
);
