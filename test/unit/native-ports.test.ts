import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/stack/native/ports.js';

describe('freePort', () => {
  // A stack reserves every port before binding any; the kernel readily offers a released port
  // again, so without its own bookkeeping freePort hands one port to two components.
  it('never hands out the same port twice in one process', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 400; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});
