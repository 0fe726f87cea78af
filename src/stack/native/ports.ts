import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { LOOPBACK } from '../../common/loopback.js';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`unexpected listen address ${String(address)}`));
        return;
      }
      resolve(address.port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Ports this process has handed out. A stack reserves ports before it binds them (proxies need
 * their upstreams up front), and the kernel may offer a released port again at once; without
 * this, two components of one stack could be given the same port.
 */
const handedOut = new Set<number>();
const MAX_ATTEMPTS = 50;

/**
 * Where listeners go: below the kernel's ephemeral range. A port the kernel picks for a listener
 * comes from that range, and so does the local port of every outgoing connection (a client of
 * PostgreSQL, Toxiproxy's upstream links); between reserving a port and binding it, a new
 * connection can take it. Below the range, only listeners compete.
 */
const LISTENER_PORTS = { min: 10_000, ephemeralFallback: 32_768 };

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > 0 ? port : LISTENER_PORTS.ephemeralFallback;
  } catch {
    return LISTENER_PORTS.ephemeralFallback; // not Linux: the IANA dynamic range's start
  }
}

const listenerRangeEnd = ephemeralRangeStart();

async function kernelPickedPort(): Promise<number> {
  const server = createServer();
  try {
    return await listen(server, 0);
  } finally {
    await close(server);
  }
}

/** A random port below the ephemeral range that binds right now, or null after a few tries. */
async function portBelowEphemeralRange(): Promise<number | null> {
  if (listenerRangeEnd - LISTENER_PORTS.min < 1_000) return null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = randomInt(LISTENER_PORTS.min, listenerRangeEnd);
    if (!handedOut.has(port) && (await isPortFree(port))) return port;
  }
  return null;
}

/**
 * A port on 127.0.0.1 that was free a moment ago and that this process has not handed out
 * before, below the ephemeral range where possible. We release it at once; another process may
 * still take it before the caller binds; components fail loudly then.
 */
export async function freePort(): Promise<number> {
  const below = await portBelowEphemeralRange();
  if (below !== null) {
    handedOut.add(below);
    return below;
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = await kernelPickedPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on ${LOOPBACK} after ${MAX_ATTEMPTS} attempts`);
}

/** True when a listener can bind 127.0.0.1:port right now. */
export async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await listen(server, port);
    return true;
  } catch {
    return false;
  } finally {
    if (server.listening) await close(server);
  }
}

/** Throws a message naming the port when something already listens on 127.0.0.1:port. */
export async function assertPortFree(port: number, owner = 'component'): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(`${owner}: port ${LOOPBACK}:${port} is already in use`);
  }
}
