import type { Post } from '@mattermost/types/posts';
import { withRetry } from '../common/bounded-parallel.js';
import { UsageError } from '../common/exit-codes.js';
import { instrumentClient } from '../mattermost/http.js';
import { type Client4, newClient } from '../mattermost/official-client.js';
import { MetricsRegistry } from '../metrics/registry.js';

// The seeder's building blocks, shared by its phases (seeder.ts: teams to history posts;
// participation.ts: thread replies and drafts): the client it talks through, a phase's progress
// count, paging, create-or-find, and a post that survives a lagging read of its root.

/** Marks seeded history posts (props), so a second run can count them. */
export const SEED_PROP = 'mmdrill_seed';
export const PAGE = 200;
/** Mattermost's error id for a reply whose root it cannot find. */
const ROOT_ID_ERROR = 'api.post.create_post.root_id.app_error';
/** How long a reply waits for a root the server acknowledged to become visible. */
const ROOT_VISIBLE_WITHIN_MS = 10_000;

/**
 * A client whose failures say which request failed, with what status, from which component
 * (RequestFailure): a seed the server refuses is reported as such. Its own metrics are not kept.
 */
export function seedClient(url: string): Client4 {
  return instrumentClient(newClient(url), { metrics: new MetricsRegistry(), timeoutMs: 30_000 });
}

/**
 * The seed client logged in as the system admin. Wrong credentials are the user's to fix (a
 * UsageError); any other failure is the server's (reported as such).
 */
export async function adminSeedClient(
  url: string,
  admin: { username: string; password: string },
): Promise<Client4> {
  const client = seedClient(url);
  await withRetry(() => client.login(admin.username, admin.password)).catch((err: unknown) => {
    if ((err as { status_code?: number }).status_code !== 401) throw err;
    throw new UsageError(`admin "${admin.username}" cannot log in to ${url}: ${(err as Error).message}`);
  });
  return client;
}

/**
 * Creates a post; a reply the server refuses because it cannot see the root it acknowledged a
 * moment ago (a server that answers before committing, or reads from a lagging replica) is
 * retried until the root shows up. The pending_post_id is the same for every attempt, so the
 * server deduplicates a retry of a post it did save.
 */
export async function createPostOnce(author: Client4, post: PartialPost): Promise<Post> {
  const deadline = Date.now() + ROOT_VISIBLE_WITHIN_MS;
  for (;;) {
    try {
      return await withRetry(() => author.createPost(post));
    } catch (err) {
      const id = (err as { server_error_id?: string }).server_error_id;
      if (!post.root_id || id !== ROOT_ID_ERROR || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export interface PhaseCount {
  total: number;
  created: number;
}

/** Counts one phase and prints a line when it ends (and every 2 s while it runs). */
export class Phase implements PhaseCount {
  created = 0;
  private done = 0;
  private readonly started = Date.now();
  private lastPrint = Date.now();
  constructor(
    private readonly name: string,
    readonly total: number,
    private readonly print: (line: string) => void,
  ) {}
  tick(created: boolean, n = 1): void {
    this.done += n;
    if (created) this.created += n;
    if (Date.now() - this.lastPrint > 2_000 && this.done < this.total) {
      this.lastPrint = Date.now();
      this.print(`  ${this.name.padEnd(16)} ${this.done}/${this.total}…`);
    }
  }
  end(): PhaseCount {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    this.print(
      `  ${this.name.padEnd(16)} ${this.total}/${this.total}  created ${this.created}  (${seconds} s)`,
    );
    return { total: this.total, created: this.created };
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as { status_code?: number }).status_code === 404;
}

/** Creates with retries; if that fails (a retried create that had worked), looks the object up. */
export async function createOrFind<T>(create: () => Promise<T>, find: () => Promise<T | null>): Promise<T> {
  try {
    return await withRetry(create);
  } catch (err) {
    const found = await find().catch(() => null);
    if (found) return found;
    throw err;
  }
}

export async function pages<T>(fetchPage: (page: number) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 0; ; page++) {
    const items = await withRetry(() => fetchPage(page));
    out.push(...items);
    if (items.length < PAGE) return out;
  }
}

export type PartialPost = Parameters<Client4['createPost']>[0];

export function postsOf(list: { order: string[]; posts: Record<string, Post> }): Post[] {
  return list.order.map((id) => list.posts[id]).filter((p): p is Post => p !== undefined);
}
