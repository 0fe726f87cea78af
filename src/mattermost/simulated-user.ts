import type { WebSocketMessage } from '@mattermost/client/lib/websocket_message.js';
import type { Post, PostList } from '@mattermost/types/posts';
import type { Random } from '../common/seeded-random.js';
import { METRIC, type Metrics } from '../metrics/api.js';
import { ClientStore } from './client-store.js';
import type { DeliveryPath, DeliveryTracker } from './delivery.js';
import { endpointTemplate } from './endpoint-template.js';
import { currentSignal, inScope, instrumentClient, requestFailure } from './http.js';
import { type Client4, newClient } from './official-client.js';
import type { SearchQuerySource } from './search-bands.js';
import { type Arrival, type OpenSocketCount, WsSession } from './ws-session.js';

// One simulated Mattermost user: its REST client, its WebSocket session, and the little state a
// web client keeps (teams, channels, the channel on screen, posts it has seen) that the actions
// draw on. Posts it creates and posts it receives are reported to the delivery tracker.
// Whenever its WebSocket comes back after a loss it does what the web app does: the reconnect
// requests (resync.ts); when the server lost its events (a new hello) it also reloads. The login
// and resync request sequences come in through `ClientRoutines` (first-load.ts, resync.ts use this
// class, so importing them here would make a cycle).

export interface ChannelRef {
  id: string;
  /** O public, P private, D direct, G group. */
  type: string;
  teamId: string;
  /** URL name (DMs: the two user ids). */
  name: string;
}

export interface PostRef {
  id: string;
  rootId: string;
  userId: string;
  channelId: string;
  createAt: number;
}

export interface DirectoryUser {
  id: string;
  username: string;
}

/** An account a simulated user logs in with (the seed creates them and keeps the passwords). */
export interface UserAccount extends DirectoryUser {
  password: string;
}

export interface SimulatedUserOptions {
  vu: number;
  baseUrl: string;
  /** Absent for users that never log in (an action loop of `ping`). */
  account?: UserAccount;
  metrics: Metrics;
  delivery: DeliveryTracker;
  rng: Random;
  /** Other users of the seed: partners for direct and group messages. */
  directory: readonly DirectoryUser[];
  openSockets: OpenSocketCount;
  ws?: { minRetryMs?: number; jitterMs?: number; pingIntervalMs?: number };
  requestTimeoutMs?: number;
  /** The environment has an object store: uploads work. */
  fileUploads?: boolean;
  /** Keep the REST client between actions (action loops at a high rate; see `client`). */
  keepClient?: boolean;
  /** Every post the server acknowledged (201), for the loss audit. */
  onAcknowledged?: (postId: string) => void;
  /** How the user logs in and resyncs. */
  routines: ClientRoutines;
  /** Where post searches draw their query bands from (the seeded corpus); absent: one word. */
  searchQueries?: SearchQuerySource;
}

/** The request sequences of a login and of a reconnect (first-load.ts, resync.ts). */
export interface ClientRoutines {
  firstLoad(user: SimulatedUser, account: UserAccount): Promise<void>;
  resync(user: SimulatedUser, reload: boolean): Promise<void>;
}

/** An answer of `call`: status, headers and the parsed body. */
export interface CallAnswer<T> {
  status: number;
  headers: Map<string, string>;
  data: T;
}

const RECENT_POSTS = 30;
const REMEMBERED = 10;
const REFETCH_CONCURRENCY = 4;

export class SimulatedUser {
  readonly vu: number;
  readonly rng: Random;
  readonly delivery: DeliveryTracker;
  readonly directory: readonly DirectoryUser[];
  readonly fileUploads: boolean;
  readonly searchQueries: SearchQuerySource | undefined;
  readonly metrics: Metrics;
  session!: WsSession;
  me!: DirectoryUser;
  team!: { id: string; name: string };
  teams: { id: string; name: string }[] = [];
  readonly channels = new Map<string, ChannelRef>();
  currentChannel = '';
  /** Posts of the channel on screen, newest last. */
  recent: PostRef[] = [];
  /** Posts seen anywhere (permalinks, threads), own posts (edits), followed threads (read state). */
  readonly seen: PostRef[] = [];
  readonly own: PostRef[] = [];
  followedThreads: string[] = [];
  /** Last time each channel was viewed (ms since the epoch), for `since` fetches. */
  readonly viewedAt = new Map<string, number>();
  /** Profiles, statuses, drafts, bookmarks… the client holds (load-test-ng's memstore). */
  readonly store = new ClientStore();
  private rest: Client4 | null = null;
  private connectedBefore = false;
  private token = '';
  private lastPendingAt = 0;
  private refetching: Promise<void> = Promise.resolve();

  constructor(private readonly options: SimulatedUserOptions) {
    this.vu = options.vu;
    this.rng = options.rng;
    this.delivery = options.delivery;
    this.directory = options.directory;
    this.fileUploads = options.fileUploads ?? false;
    this.searchQueries = options.searchQueries;
    this.metrics = options.metrics;
  }

  /**
   * The user's REST client (Client4, instrumented). Created on demand: a Client4 holds some
   * 34 KB of per-instance closures, too much to keep for each of thousands of mostly idle
   * users, so the user model releases it after every action (creating one takes ~50 µs).
   */
  get client(): Client4 {
    if (!this.rest) {
      this.rest = instrumentClient(newClient(this.options.baseUrl, this.token || undefined), {
        metrics: this.options.metrics,
        ...(this.options.requestTimeoutMs !== undefined && { timeoutMs: this.options.requestTimeoutMs }),
      });
    }
    return this.rest;
  }

  /** Between actions: drops the REST client unless told to keep it (see `client`). */
  idle(): void {
    if (!this.options.keepClient) this.rest = null;
  }

  /** Logs in, loads teams and channels like the web app on start, and opens the WebSocket. */
  async start(signal: AbortSignal): Promise<void> {
    const { account, delivery } = this.options;
    if (!account) throw new Error(`VU ${this.vu} has no account to log in with`);
    await inScope({ action: 'login', signal }, () => this.options.routines.firstLoad(this, account));
    this.currentChannel = this.rng.pick(this.teamChannels())?.id ?? '';
    this.session = new WsSession(
      {
        baseUrl: this.options.baseUrl,
        token: this.token,
        metrics: this.options.metrics,
        openSockets: this.options.openSockets,
        ...this.options.ws,
      },
      {
        onEvent: (msg, arrival) => this.onEvent(msg, arrival),
        onOnline: (online, resumed) => {
          delivery.setOnline(this.vu, online, { resumed });
          // Every re-open runs the web app's reconnect handler (the first open does not).
          if (online && this.connectedBefore) void this.afterReconnect('reconnect');
          if (online) this.connectedBefore = true;
        },
        onNewHello: (since) => {
          this.options.metrics.counter(METRIC.wsResyncs).add(1);
          // The web app's `restart`: the reconnect requests again plus the client config.
          void this.afterReconnect('resync', true);
          this.refetching = this.refetch([...this.channels.keys()], since, 'refetch');
        },
      },
    );
    await this.session.open(signal);
    this.idle();
  }

  /** Logged in: the token and who the user is (first-load.ts). */
  loggedIn(token: string, me: DirectoryUser): void {
    this.token = token;
    this.me = me;
    this.options.delivery.setUser(this.vu, me.id);
  }

  /**
   * One request as a client builds it by hand (images, LTNG's exact query strings), through the
   * instrumented client: `path` is under /api/v4 unless absolute (`/api/v5/…`). Statuses ≥ 400
   * throw Client4's error; 304 is an answer.
   */
  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<CallAnswer<T>> {
    const client = this.client;
    const url =
      path === '/' || path.startsWith('/api/')
        ? `${client.getUrl()}${path}`
        : `${client.getBaseRoute()}${path}`;
    const internals = client as unknown as {
      doFetchWithResponse(
        url: string,
        options: RequestInit & { ignoreStatus?: boolean },
      ): Promise<{ response: Response; headers: Map<string, string>; data: unknown }>;
    };
    const answer = await internals.doFetchWithResponse(url, {
      method,
      ignoreStatus: true,
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      ...(headers && { headers }),
    });
    const status = answer.response.status;
    if (status >= 400) throw requestFailure(client, method, endpointTemplate(url), url, answer);
    return { status, headers: answer.headers, data: answer.data as T };
  }

  /** Logs in again (a second session; the WebSocket keeps the first). */
  async relogin(): Promise<void> {
    const account = this.options.account;
    if (!account) return;
    const client = this.client;
    await client.login(account.username, account.password);
    this.token = client.getToken();
  }

  /** Waits `ms` inside an action (a typing or scrolling pause); ends early when the run does. */
  pause(ms: number): Promise<void> {
    const signal = currentSignal();
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Direct and group channels the user is in. */
  directChannels(): ChannelRef[] {
    const out: ChannelRef[] = [];
    for (const c of this.channels.values()) if (c.type === 'D' || c.type === 'G') out.push(c);
    return out;
  }

  /** Public and private channels of the current team. */
  teamChannels(): ChannelRef[] {
    const out: ChannelRef[] = [];
    for (const c of this.channels.values())
      if (c.teamId === this.team.id && (c.type === 'O' || c.type === 'P')) out.push(c);
    return out;
  }

  addChannel(channel: ChannelRef): void {
    this.channels.set(channel.id, channel);
    this.delivery.join(this.vu, [channel.id]);
  }

  /** The channel on screen changed: its posts replace the remembered ones. */
  show(channelId: string, posts: PostList | null): void {
    if (channelId !== this.currentChannel) this.recent = [];
    this.currentChannel = channelId;
    this.viewedAt.set(channelId, Date.now());
    if (posts) this.rememberList(posts);
  }

  rememberList(list: PostList): void {
    const posts = list.order
      .map((id) => list.posts[id])
      .filter((p): p is Post => p !== undefined && !p.delete_at);
    posts.sort((a, b) => a.create_at - b.create_at);
    for (const p of posts) this.remember(toRef(p));
  }

  remember(post: PostRef): void {
    if (post.channelId === this.currentChannel) pushBounded(this.recent, post, RECENT_POSTS);
    pushBounded(this.seen, post, REMEMBERED);
    if (post.userId === this.me.id) pushBounded(this.own, post, REMEMBERED);
  }

  /** A post deleted (by the user or, per a `post_deleted` event, by someone else): no longer shown. */
  forget(postId: string): void {
    for (const list of [this.recent, this.seen, this.own]) {
      const at = list.findIndex((p) => p.id === postId);
      if (at !== -1) list.splice(at, 1);
    }
  }

  /** Older posts from scrolling up: they go before the ones on screen (the oldest are kept). */
  prependOlder(list: PostList): void {
    const older = list.order
      .map((id) => list.posts[id])
      .filter((p): p is Post => p !== undefined && !p.delete_at && p.channel_id === this.currentChannel)
      .sort((a, b) => a.create_at - b.create_at)
      .map(toRef);
    this.recent = [...older, ...this.recent].slice(0, RECENT_POSTS);
  }

  /**
   * Creates a post the way the web app does (a `pending_post_id` the server echoes in the
   * `posted` event) and tells the delivery tracker when it was sent and acknowledged.
   */
  async createPost(channelId: string, message: string, rootId = '', fileIds: string[] = []): Promise<Post> {
    this.lastPendingAt = Math.max(Date.now(), this.lastPendingAt + 1);
    const pending = `${this.me.id}:${this.lastPendingAt}`;
    this.delivery.sent(this.vu, channelId, pending);
    try {
      const post = await this.client.createPost({
        channel_id: channelId,
        message,
        root_id: rootId,
        file_ids: fileIds,
        pending_post_id: pending,
        user_id: this.me.id,
        create_at: 0,
      });
      this.delivery.acknowledged(pending, post.id);
      this.options.onAcknowledged?.(post.id);
      this.remember(toRef(post));
      return post;
    } catch (err) {
      this.delivery.failed(pending);
      throw err;
    }
  }

  /** Posts of `channelIds` changed since `since`, reported as deliveries by `path`. */
  async refetch(
    channelIds: string[],
    since: number,
    action: string,
    path: DeliveryPath = 'refetch',
  ): Promise<void> {
    const queue = [...channelIds];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const list = await this.client.getPostsSince(id, Math.max(0, since)).catch(() => null);
        for (const postId of list?.order ?? []) this.delivery.received(this.vu, { id: postId }, path);
      }
    };
    await inScope({ action }, () =>
      Promise.all(Array.from({ length: REFETCH_CONCURRENCY }, worker)).then(() => undefined),
    );
  }

  /**
   * The final delivery pass: a user whose connection was replaced (new hello) or is down would
   * refetch when it comes back; one that stayed connected would not, so neither does this.
   */
  async finalRefetch(channelIds: string[], since: number): Promise<void> {
    await this.refetching;
    const disrupted = !this.session?.online || this.session.lastDisruptionAt >= since;
    if (disrupted) await this.refetch(channelIds, since - 10_000, 'refetch');
  }

  /** The web app's reconnect handler (and, on a reload, its `restart`), as its own burst. */
  private async afterReconnect(action: 'reconnect' | 'resync', reload = false): Promise<void> {
    try {
      await inScope({ action }, () => this.options.routines.resync(this, reload));
    } catch {
      // A failed request is recorded by the client; the next reconnect or action tries again.
    } finally {
      this.idle();
    }
  }

  close(): void {
    this.session?.close();
    this.delivery.leave(this.vu);
  }

  private onEvent(msg: WebSocketMessage, arrival: Arrival): void {
    const data = msg.data as Record<string, unknown>;
    const channelId = msg.broadcast?.channel_id ?? '';
    switch (msg.event as string) {
      case 'posted': {
        const json = typeof data.post === 'string' ? data.post : '';
        const pendingPostId = topLevelString(json, 'pending_post_id');
        let post: Post | null = null;
        if (!pendingPostId || channelId === this.currentChannel) post = parsePost(json);
        this.delivery.received(this.vu, { pendingPostId, id: post?.id }, arrival);
        if (post) this.remember(toRef(post));
        break;
      }
      case 'post_deleted': {
        const id = /"id":"([a-z0-9]{26})"/.exec(typeof data.post === 'string' ? data.post : '')?.[1];
        if (id) this.forget(id);
        break;
      }
      case 'direct_added':
        this.addChannel({ id: channelId, type: 'D', teamId: '', name: '' });
        break;
      case 'group_added':
        this.addChannel({ id: channelId, type: 'G', teamId: '', name: '' });
        break;
      case 'user_added':
        if (data.user_id === this.me.id) {
          this.addChannel({ id: channelId, type: 'O', teamId: String(data.team_id ?? ''), name: '' });
        }
        break;
    }
  }
}

function toRef(p: Post): PostRef {
  return {
    id: p.id,
    rootId: p.root_id ?? '',
    userId: p.user_id,
    channelId: p.channel_id,
    createAt: p.create_at,
  };
}

function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.shift();
}

/**
 * A string field of the post JSON without parsing it: `pending_post_id` appears once, at the top
 * level (nested text is escaped, so `"key":"` cannot match inside it).
 */
function topLevelString(json: string, key: string): string | undefined {
  const marker = `"${key}":"`;
  const at = json.indexOf(marker);
  if (at === -1) return undefined;
  const start = at + marker.length;
  const end = json.indexOf('"', start);
  return end > start ? json.slice(start, end) : undefined;
}

function parsePost(json: string): Post | null {
  try {
    return JSON.parse(json) as Post;
  } catch {
    return null;
  }
}
