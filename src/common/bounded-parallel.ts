// Work over a list with at most `limit` tasks in flight: the seed's parallelism, bounded so that a
// data set of thousands of objects does not open thousands of requests at once.

/** Runs `fn` for every item, at most `limit` at a time; rejects with the first error. */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Retries `fn` on network errors and 5xx answers (a busy server), up to `attempts` times. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const status = (err as { status_code?: number }).status_code ?? 0;
      const transient = status === 0 || status >= 500 || status === 429;
      if (!transient || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}
