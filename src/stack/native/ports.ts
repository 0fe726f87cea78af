import { createServer, type Server } from 'node:net';

/** Every native component binds here and nowhere else. */
export const LOOPBACK = '127.0.0.1';

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

async function kernelPickedPort(): Promise<number> {
  const server = createServer();
  try {
    return await listen(server, 0);
  } finally {
    await close(server);
  }
}

/**
 * A port on 127.0.0.1 that was free a moment ago and that this process has not handed out
 * before: the kernel picks it, we release it. Another process may still take it before the
 * caller binds; components fail loudly then.
 */
export async function freePort(): Promise<number> {
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
