import { performance } from 'node:perf_hooks';
import hdr, { type Histogram } from 'hdr-histogram-js';
import { type Counter, METRIC, type Metrics, type Trend } from '../metrics/api.js';

// Post → `posted` delivery, measured for every post a simulated user creates and every other
// member of its channel who was online when the server acknowledged it. A member may get the post
// live, replayed on a resumed connection, or by refetching after a new hello; one who never gets
// it counts as missed. Fully delivered posts are dropped at once, so memory follows what is in
// flight, not the length of the run.

export type DeliveryPath = 'live' | 'replay' | 'refetch';

export interface DeliverySummary {
  /** Acknowledged posts tracked. */
  posts: number;
  /** Milliseconds from the create request to each member's receipt, over all paths. */
  latency: { p50: number; p95: number; p99: number };
  /** (post, member) pairs never delivered. */
  undelivered: number;
  /** Deliveries per path. */
  byPath: { live: number; replayed: number; refetched: number };
}

export interface MissedDelivery {
  postId: string;
  channelId: string;
  senderVu: number;
  memberVu: number;
}

/** What identifies a received post: the pending id the sender set (live/replay), or the post id. */
export interface ReceivedPost {
  id?: string;
  pendingPostId?: string;
}

interface Entry {
  pendingId: string;
  postId: string;
  channelId: string;
  senderVu: number;
  sentAt: number;
  sentEpoch: number;
  /** Members expected to receive it; set at the acknowledgement. */
  expected: Set<number> | null;
  /** Receipts before the acknowledgement (the event often beats the HTTP answer). */
  early: Map<number, { path: DeliveryPath; latency: number }> | null;
}

export interface DeliveryTrackerOptions {
  metrics: Metrics;
  /**
   * An acknowledged post still waiting for members after this long is given up on (counted as
   * missed), which bounds memory when members stay away. Default 10 minutes.
   */
  giveUpAfterMs?: number;
}

export interface FinishOptions {
  /** How long to wait for deliveries still in flight. Default 5 s. */
  drainMs?: number;
  /**
   * The final refetch pass: called for each member still owed posts, with those posts' channels
   * and the earliest send time (ms since the epoch). The member reports what it finds through
   * `received(…, 'refetch')`.
   */
  refetch?(memberVu: number, channelIds: string[], since: number): Promise<void>;
}

export class DeliveryTracker {
  private readonly byPending = new Map<string, Entry>();
  private readonly byPost = new Map<string, Entry>();
  private readonly online = new Set<number>();
  /** When each member's current server-side connection began (performance.now()). */
  private readonly connectedSince = new Map<number, number>();
  private readonly members = new Map<string, Set<number>>();
  private readonly vusOfUser = new Map<string, Set<number>>();
  private readonly histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  private readonly latency: Trend;
  private readonly missedCounter: Counter;
  private readonly missedList: MissedDelivery[] = [];
  private readonly giveUpAfterMs: number;
  private posts = 0;
  private lastSweep = 0;
  private readonly paths = { live: 0, replayed: 0, refetched: 0 };
  private readonly pathTags = {
    live: { path: 'live' },
    replay: { path: 'replay' },
    refetch: { path: 'refetch' },
  } as const;

  constructor(options: DeliveryTrackerOptions) {
    this.latency = options.metrics.trend(METRIC.deliveryLatency);
    this.missedCounter = options.metrics.counter(METRIC.deliveryMissed);
    this.giveUpAfterMs = options.giveUpAfterMs ?? 10 * 60_000;
  }

  // --- who is where -------------------------------------------------------------------------

  /** VU `vu` acts as Mattermost user `userId` (several VUs may share one user). */
  setUser(vu: number, userId: string): void {
    let vus = this.vusOfUser.get(userId);
    if (!vus) {
      vus = new Set();
      this.vusOfUser.set(userId, vus);
    }
    vus.add(vu);
  }

  /** `vu` is a member of these channels. */
  join(vu: number, channelIds: Iterable<string>): void {
    for (const id of channelIds) {
      let set = this.members.get(id);
      if (!set) {
        set = new Set();
        this.members.set(id, set);
      }
      set.add(vu);
    }
  }

  /** Users (by id) joined `channelId`: every VU acting as one of them is now a member. */
  joinUsers(channelId: string, userIds: Iterable<string>): void {
    for (const userId of userIds) {
      for (const vu of this.vusOfUser.get(userId) ?? []) this.join(vu, [channelId]);
    }
  }

  /**
   * `vu`'s WebSocket came up or went down. A resumed connection is the same server-side
   * connection as before the drop (its events were replayed), so it keeps its start time.
   */
  setOnline(vu: number, online: boolean, options: { resumed?: boolean } = {}): void {
    if (!online) {
      this.online.delete(vu);
      return;
    }
    this.online.add(vu);
    if (!options.resumed || !this.connectedSince.has(vu)) this.connectedSince.set(vu, performance.now());
  }

  /** The VU is gone for good (its session closed at the end of its life). */
  leave(vu: number): void {
    this.online.delete(vu);
    this.connectedSince.delete(vu);
    for (const set of this.members.values()) set.delete(vu);
  }

  // --- the sender ---------------------------------------------------------------------------

  /** Call just before sending the create request. */
  sent(senderVu: number, channelId: string, pendingPostId: string): void {
    const now = performance.now();
    this.byPending.set(pendingPostId, {
      pendingId: pendingPostId,
      postId: '',
      channelId,
      senderVu,
      sentAt: now,
      sentEpoch: Date.now(),
      expected: null,
      early: null,
    });
    if (now - this.lastSweep > Math.min(10_000, this.giveUpAfterMs / 2)) this.sweep(now);
  }

  /**
   * The server acknowledged the post: every other member online now, on a connection it already
   * had when the post was sent, is owed it. (On a slow link the answer can come seconds after the
   * server made the post; a connection opened in between never had the event to receive.)
   */
  acknowledged(pendingPostId: string, postId: string): void {
    const entry = this.byPending.get(pendingPostId);
    if (!entry || entry.expected) return;
    entry.postId = postId;
    this.posts += 1;
    const expected = new Set<number>();
    for (const vu of this.members.get(entry.channelId) ?? []) {
      if (vu === entry.senderVu || !this.online.has(vu)) continue;
      if ((this.connectedSince.get(vu) ?? Number.POSITIVE_INFINITY) <= entry.sentAt) expected.add(vu);
    }
    for (const [vu, receipt] of entry.early ?? []) {
      expected.delete(vu);
      this.record(receipt.path, receipt.latency);
    }
    entry.early = null;
    entry.expected = expected;
    if (expected.size === 0) this.byPending.delete(pendingPostId);
    else this.byPost.set(postId, entry);
  }

  /** The create request failed: nothing is owed (the audits of the faults work judge such posts). */
  failed(pendingPostId: string): void {
    const entry = this.byPending.get(pendingPostId);
    if (entry && !entry.expected) this.byPending.delete(pendingPostId);
  }

  // --- the members --------------------------------------------------------------------------

  /** `vu` received a post (a `posted` event, or a post in a refetch answer). */
  received(vu: number, post: ReceivedPost, path: DeliveryPath): void {
    const entry =
      (post.pendingPostId ? this.byPending.get(post.pendingPostId) : undefined) ??
      (post.id ? this.byPost.get(post.id) : undefined);
    if (!entry || vu === entry.senderVu) return;
    const latency = performance.now() - entry.sentAt;
    if (!entry.expected) {
      entry.early ??= new Map();
      if (!entry.early.has(vu)) entry.early.set(vu, { path, latency });
      return;
    }
    if (!entry.expected.delete(vu)) return;
    this.record(path, latency);
    if (entry.expected.size === 0) this.drop(entry);
  }

  // --- the end ------------------------------------------------------------------------------

  /** Acknowledged posts some member still waits for. */
  get outstanding(): number {
    return this.byPost.size;
  }

  /**
   * Drains, runs the final refetch pass, and counts every delivery still missing as missed.
   * Posts whose create request never completed are dropped.
   */
  async finish(options: FinishOptions = {}): Promise<DeliverySummary> {
    const deadline = performance.now() + (options.drainMs ?? 5_000);
    while (this.byPost.size > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (options.refetch && this.byPost.size > 0) {
      const owed = new Map<number, { channels: Set<string>; since: number }>();
      for (const entry of this.byPost.values()) {
        for (const vu of entry.expected ?? []) {
          const item = owed.get(vu) ?? { channels: new Set<string>(), since: entry.sentEpoch };
          item.channels.add(entry.channelId);
          item.since = Math.min(item.since, entry.sentEpoch);
          owed.set(vu, item);
        }
      }
      const queue = [...owed.entries()];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [vu, item] = next;
          await options.refetch!(vu, [...item.channels], item.since).catch(() => undefined);
        }
      };
      await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
    }
    for (const entry of [...this.byPost.values()]) this.giveUp(entry);
    this.byPending.clear();
    return this.summary();
  }

  summary(): DeliverySummary {
    return combinedSummary([this]);
  }

  /** Every (post, member) never delivered, for the audits. */
  missed(): readonly MissedDelivery[] {
    return this.missedList;
  }

  /** For combinedSummary: the latency histogram (µs) and counts. */
  parts(): { histogram: Histogram; posts: number; undelivered: number; byPath: DeliverySummary['byPath'] } {
    return {
      histogram: this.histogram,
      posts: this.posts,
      undelivered: this.missedList.length,
      byPath: this.paths,
    };
  }

  private record(path: DeliveryPath, latencyMs: number): void {
    this.latency.add(latencyMs, this.pathTags[path]);
    this.histogram.recordValue(Math.max(0, Math.round(latencyMs * 1000)));
    if (path === 'live') this.paths.live += 1;
    else if (path === 'replay') this.paths.replayed += 1;
    else this.paths.refetched += 1;
  }

  private drop(entry: Entry): void {
    this.byPending.delete(entry.pendingId);
    this.byPost.delete(entry.postId);
  }

  private giveUp(entry: Entry): void {
    for (const vu of entry.expected ?? []) {
      this.missedList.push({
        postId: entry.postId,
        channelId: entry.channelId,
        senderVu: entry.senderVu,
        memberVu: vu,
      });
      this.missedCounter.add(1);
    }
    this.drop(entry);
  }

  /** Gives up on old posts, and forgets sends whose answer never came. */
  private sweep(now: number): void {
    this.lastSweep = now;
    const cutoff = now - this.giveUpAfterMs;
    for (const entry of this.byPending.values()) {
      if (entry.sentAt >= cutoff) break; // insertion order = send order
      if (entry.expected) this.giveUp(entry);
      else this.byPending.delete(entry.pendingId);
    }
  }
}

/** One summary over several trackers (one per user-model scenario of a run). */
export function combinedSummary(trackers: readonly DeliveryTracker[]): DeliverySummary {
  const histogram = hdr.build({ numberOfSignificantValueDigits: 3 });
  const out: DeliverySummary = {
    posts: 0,
    latency: { p50: 0, p95: 0, p99: 0 },
    undelivered: 0,
    byPath: { live: 0, replayed: 0, refetched: 0 },
  };
  for (const tracker of trackers) {
    const part = tracker.parts();
    histogram.add(part.histogram);
    out.posts += part.posts;
    out.undelivered += part.undelivered;
    out.byPath.live += part.byPath.live;
    out.byPath.replayed += part.byPath.replayed;
    out.byPath.refetched += part.byPath.refetched;
  }
  if (histogram.totalCount > 0) {
    const at = (p: number) => histogram.getValueAtPercentile(p) / 1000;
    out.latency = { p50: at(50), p95: at(95), p99: at(99) };
  }
  histogram.destroy();
  return out;
}
