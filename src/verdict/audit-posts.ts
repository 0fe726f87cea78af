import { forEachBounded } from '../common/bounded-parallel.js';
import { inScope, instrumentClient, statusOf } from '../mattermost/http.js';
import { type Client4, newClient } from '../mattermost/official-client.js';
import { MetricsRegistry } from '../metrics/registry.js';
import type { StackDocument } from '../stack/stack-document.js';

// The loss audit: every post the server acknowledged must still be there. Each one is read back
// as the admin, straight through app nodes (the stack may still be recovering: a node that does
// not answer is skipped for a while and transient failures are retried). A 404 is checked again
// after a pause, so that a read served by a lagging replica is not taken for a loss.

export interface PostReadBackOptions {
  /** Base URLs to read through (app nodes, then the users' URL), tried in turn. */
  urls: readonly string[];
  admin: { username: string; password: string };
  /** Requests in flight. Default 8. */
  concurrency?: number;
  /** How long a post without a definite answer (5xx, no answer) keeps being retried. Default 60 s. */
  retryForMs?: number;
  /** A 404 is asked again after this pause before it counts as lost. Default 2 s. */
  recheckAfterMs?: number;
  /** Per request. Default 5 s. */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface PostReadBack {
  checked: number;
  /** Acknowledged posts a node answered 404 for, twice. */
  lost: string[];
  /** Posts no node gave a definite answer for before the retries ran out. */
  unverified: string[];
}

/**
 * Where and as whom to read back on a stack: each app node directly (no load balancer or users'
 * link in the way, which a fault plan may have been impairing), then the users' URL (the only
 * one an existing deployment may publish).
 */
export function readBackThrough(
  stack: Pick<StackDocument, 'url' | 'appNodes' | 'admin'>,
  adminPassword: string,
): Pick<PostReadBackOptions, 'urls' | 'admin'> {
  return {
    urls: [...stack.appNodes.map((node) => node.url), stack.url],
    admin: { username: stack.admin.username, password: adminPassword },
  };
}

type Answer = 'found' | 'missing' | 'unknown';

/** A node skipped after a failure, so that other reads do not wait for its timeouts. */
const NODE_BACKOFF_MS = 3_000;

class NodeReader {
  private client: Client4 | null = null;
  private skipUntil = 0;

  constructor(
    readonly url: string,
    private readonly options: PostReadBackOptions,
    private readonly metrics: MetricsRegistry,
  ) {}

  get available(): boolean {
    return Date.now() >= this.skipUntil;
  }

  async read(postId: string): Promise<Answer> {
    try {
      const client = await this.loggedIn();
      await inScope(
        { action: 'audit_read_back', ...(this.options.signal && { signal: this.options.signal }) },
        () => client.getPost(postId, true),
      );
      return 'found';
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return 'missing';
      if (status === 401) this.client = null; // session lost (a restarted stack): log in again
      if (status === 0 || status >= 500 || status === 429) this.skipUntil = Date.now() + NODE_BACKOFF_MS;
      return 'unknown';
    }
  }

  private async loggedIn(): Promise<Client4> {
    if (this.client) return this.client;
    const client = instrumentClient(newClient(this.url), {
      metrics: this.metrics,
      timeoutMs: this.options.requestTimeoutMs ?? 5_000,
    });
    await inScope(
      { action: 'audit_login', ...(this.options.signal && { signal: this.options.signal }) },
      () => client.login(this.options.admin.username, this.options.admin.password),
    );
    this.client = client;
    return client;
  }
}

/** Reads every post back; never throws for the server's sake (what it cannot confirm is listed). */
export async function readBackPosts(
  postIds: readonly string[],
  options: PostReadBackOptions,
): Promise<PostReadBack> {
  if (options.urls.length === 0) throw new RangeError('no URL to read posts back through');
  const ids = [...new Set(postIds)];
  // Audit traffic is not the run's load: it goes to a registry of its own, not the summary's.
  const metrics = new MetricsRegistry();
  const nodes = options.urls.map((url) => new NodeReader(url, options, metrics));
  const deadline = Date.now() + (options.retryForMs ?? 60_000);
  const concurrency = options.concurrency ?? 8;
  let turn = 0;

  /** One definite answer, trying nodes in turn, until the deadline. */
  const ask = async (postId: string): Promise<Answer> => {
    for (let round = 0; ; round++) {
      const start = turn++;
      for (let i = 0; i < nodes.length; i++) {
        const node = nodes[(start + i) % nodes.length]!;
        if (!node.available && round === 0 && nodes.some((n) => n.available)) continue;
        const answer = await node.read(postId);
        if (answer !== 'unknown') return answer;
      }
      const left = deadline - Date.now();
      if (left <= 0 || options.signal?.aborted) return 'unknown';
      await new Promise((r) => setTimeout(r, Math.min(1_000 * 2 ** Math.min(round, 2), left)));
    }
  };

  const missing: string[] = [];
  const unverified: string[] = [];
  await forEachBounded(ids, concurrency, async (id) => {
    const answer = await ask(id);
    if (answer === 'missing') missing.push(id);
    else if (answer === 'unknown') unverified.push(id);
  });
  if (missing.length > 0) {
    options.log?.(`audit: ${missing.length} acknowledged post(s) not found; asking again`);
    await new Promise((r) => setTimeout(r, options.recheckAfterMs ?? 2_000));
  }
  const lost: string[] = [];
  await forEachBounded(missing, concurrency, async (id) => {
    const answer = await ask(id);
    if (answer === 'missing') lost.push(id);
    else if (answer === 'unknown') unverified.push(id);
  });
  // Back in the order the posts were acknowledged, so "the first 20" means something.
  const order = new Map(ids.map((id, i) => [id, i]));
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  return { checked: ids.length, lost: lost.sort(byOrder), unverified: unverified.sort(byOrder) };
}
