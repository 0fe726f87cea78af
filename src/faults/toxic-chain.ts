import { type Toxic, ToxiproxyApiError, type ToxiproxyClient } from '../stack/toxiproxy-client.js';

// Toxiproxy chains the toxics of a stream in the order they were added. Removing one hands the
// data it holds to the next toxic in the chain and waits until that toxic has taken it; behind a
// 1 KB/s bandwidth toxic that takes minutes, and the API answers 503 after 25 s. Removing the
// *last* toxic of a chain is immediate (its data goes straight to the connection). So a toxic is
// removed from the tail: the toxics added after it are lifted first (last one first), then it,
// then they are put back in their order — a gap of a few milliseconds for them, instead of a
// removal that cannot finish.

const chainLocks = new Map<string, Promise<void>>();

/** Removes `toxic` from `proxy` (absent is fine), lifting and restoring the toxics behind it. */
export function removeToxicFromChain(client: ToxiproxyClient, proxy: string, toxic: string): Promise<void> {
  // One chain edit at a time per proxy: two faults ending together must not interleave.
  const key = `${client.baseUrl} ${proxy}`;
  const previous = chainLocks.get(key) ?? Promise.resolve();
  const next = previous.then(() => editChain(client, proxy, toxic));
  const settled = next.catch(() => undefined);
  chainLocks.set(key, settled);
  void settled.then(() => {
    if (chainLocks.get(key) === settled) chainLocks.delete(key);
  });
  return next;
}

/** The toxics that must be lifted before `toxic` can go: those after it on its stream, last first. */
export function toxicsBehind(chain: readonly Toxic[], toxic: string): Toxic[] {
  const index = chain.findIndex((t) => t.name === toxic);
  if (index < 0) return [];
  const stream = chain[index]!.stream;
  return chain
    .slice(index + 1)
    .filter((t) => t.stream === stream)
    .reverse();
}

async function editChain(client: ToxiproxyClient, proxy: string, toxic: string): Promise<void> {
  let chain: Toxic[];
  try {
    chain = await client.listToxics(proxy);
  } catch (error) {
    if (error instanceof ToxiproxyApiError && error.status === 404) return; // proxy gone: nothing to remove
    throw error;
  }
  if (!chain.some((t) => t.name === toxic)) return;
  const lifted = toxicsBehind(chain, toxic);
  for (const behind of lifted) await removeIfPresent(client, proxy, behind.name);
  try {
    await removeIfPresent(client, proxy, toxic);
  } finally {
    for (const behind of [...lifted].reverse()) {
      await client.addToxic(proxy, {
        name: behind.name,
        type: behind.type,
        stream: behind.stream,
        toxicity: behind.toxicity,
        attributes: behind.attributes,
      });
    }
  }
}

async function removeIfPresent(client: ToxiproxyClient, proxy: string, toxic: string): Promise<void> {
  try {
    await client.removeToxic(proxy, toxic);
  } catch (error) {
    if (!(error instanceof ToxiproxyApiError && error.status === 404)) throw error;
  }
}
