import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/stack/native/ports.js';

describe('freePort', () => {
  // A stack reserves every port before binding any; the kernel readily offers a released port
  // again, so without its own bookkeeping freePort hands one port to two components.
  it('never hands out the same port twice in one process', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 400; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });

  // Outgoing connections take their local port from the ephemeral range; a listener port
  // reserved there can be taken by one before the component binds it.
  it('hands out ports below the ephemeral range, where no outgoing connection lands', async () => {
    const [low] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/);
    for (let i = 0; i < 50; i++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(Number(low));
    }
  });
});
