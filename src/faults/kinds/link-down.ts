import { type ActiveFault, activeFault, type FaultContext } from '../kind.js';

// A link down, shared by partition and the object store outage: each proxy is disabled, so its
// listener closes (new connections are refused) and open connections are cut.

export async function takeLinkDown(context: FaultContext, proxies: readonly string[]): Promise<ActiveFault> {
  const unregister = proxies.map((proxy) =>
    context.exitCleanup.register({
      toxiproxy: { api: context.toxiproxy(proxy).baseUrl, enableProxies: [proxy] },
    }),
  );
  const down: string[] = [];
  const undo = async () => {
    while (down.length > 0) {
      const proxy = down[0]!;
      await context.toxiproxy(proxy).enableProxy(proxy);
      down.shift();
    }
    for (const done of unregister) done();
  };
  try {
    for (const proxy of proxies) {
      // Counted before the call: a request that timed out may still have disabled it.
      down.push(proxy);
      await context.toxiproxy(proxy).disableProxy(proxy);
    }
  } catch (error) {
    await undo().catch(() => undefined);
    throw error;
  }
  return activeFault(proxies, undo);
}
