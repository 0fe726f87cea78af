import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { removeToxicFromChain } from '../../src/faults/toxic-chain.js';
import { ToxiproxyServer } from '../../src/stack/native/toxiproxy.js';
import type { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';
import { ProcessLedger } from '../support/native.js';

// The HF profile puts a 1 s latency toxic and then a 1 KB/s bandwidth toxic on the users' link.
// Removing the latency toxic directly, with data queued, hands its backlog to the bandwidth toxic
// and blocks until that drains (minutes; Toxiproxy's API gives up with 503 after 25 s). Removing
// from the tail of the chain does not block. Both are shown here, on a real Toxiproxy.

const ledger = new ProcessLedger();
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  expect(await ledger.teardown(), 'processes started by the test are still alive').toEqual([]);
});

/** Toxiproxy with an echo server behind proxy "hf", and clients keeping data queued through it. */
async function hfLink(): Promise<ToxiproxyClient> {
  const server = ledger.component(new ToxiproxyServer({ dir: await ledger.runDir('toxiproxy-') }));
  await server.start();
  ledger.pid(server.pid);
  const api = server.client();
  const echo = net.createServer((socket) => socket.on('error', () => undefined).pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const port = (echo.address() as net.AddressInfo).port;
  const proxy = await api.createProxy({ name: 'hf', listen: '127.0.0.1:0', upstream: `127.0.0.1:${port}` });
  for (const stream of ['upstream', 'downstream'] as const) {
    await api.addToxic('hf', {
      name: `delay_${stream}`,
      type: 'latency',
      stream,
      attributes: { latency: 1000, jitter: 500 },
    });
    await api.addToxic('hf', {
      name: `throughput_${stream}`,
      type: 'bandwidth',
      stream,
      attributes: { rate: 1 },
    });
  }
  const [host, proxyPort] = proxy.listen.split(':');
  const sockets = Array.from({ length: 4 }, () =>
    net
      .connect(Number(proxyPort), host)
      .on('data', () => undefined)
      .on('error', () => undefined),
  );
  const writer = setInterval(() => {
    for (const socket of sockets) socket.write(Buffer.alloc(2_000, 0x61));
  }, 200);
  cleanups.push(() => {
    clearInterval(writer);
    for (const socket of sockets) socket.destroy();
    echo.close();
  });
  await sleep(4_000); // let every toxic hold a backlog
  return api;
}

/** Resolves with the elapsed ms, or 'pending' if the removal has not finished within `withinMs`. */
async function timed(removal: Promise<unknown>, withinMs: number): Promise<number | 'pending'> {
  const started = performance.now();
  const outcome = await Promise.race([
    removal.then(
      () => 'done' as const,
      () => 'failed' as const,
    ),
    sleep(withinMs).then(() => 'pending' as const),
  ]);
  return outcome === 'pending' ? 'pending' : performance.now() - started;
}

describe('removing toxics from a chain', () => {
  it('a head toxic removed directly is stuck behind a 1 KB/s backlog (the failure being fixed)', async () => {
    const api = await hfLink();
    const direct = api.removeToxic('hf', 'delay_upstream');
    direct.catch(() => undefined);
    expect(await timed(direct, 8_000)).toBe('pending');
  }, 40_000);

  it('removeToxicFromChain removes it at once and puts the toxics behind it back', async () => {
    const api = await hfLink();
    const elapsed = await timed(removeToxicFromChain(api, 'hf', 'delay_upstream'), 8_000);
    expect(elapsed).not.toBe('pending');
    const left = await api.listToxics('hf');
    expect(left.map((t) => t.name).sort()).toEqual([
      'delay_downstream',
      'throughput_downstream',
      'throughput_upstream',
    ]);
    expect(left.find((t) => t.name === 'throughput_upstream')).toMatchObject({
      type: 'bandwidth',
      stream: 'upstream',
      attributes: { rate: 1 },
    });
  }, 40_000);

  it('two faults ending together (the profile steps) both come off, in either order', async () => {
    const api = await hfLink();
    const both = Promise.all(
      ['delay_upstream', 'delay_downstream', 'throughput_upstream', 'throughput_downstream'].map((toxic) =>
        removeToxicFromChain(api, 'hf', toxic),
      ),
    );
    expect(await timed(both, 10_000)).not.toBe('pending');
    expect(await api.listToxics('hf')).toEqual([]);
  }, 40_000);

  it('a toxic already gone is not an error', async () => {
    const api = await hfLink();
    await removeToxicFromChain(api, 'hf', 'throughput_upstream');
    await expect(removeToxicFromChain(api, 'hf', 'throughput_upstream')).resolves.toBeUndefined();
  }, 40_000);
});
