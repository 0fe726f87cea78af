import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../common/seeded-random.js';
import type { Action } from '../../mattermost/actions/action.js';
import { type DeliverySummary, DeliveryTracker } from '../../mattermost/delivery.js';
import { firstLoad } from '../../mattermost/first-load.js';
import { inScope } from '../../mattermost/http.js';
import { quietWebSocketClientLogs } from '../../mattermost/official-client.js';
import { resync } from '../../mattermost/resync.js';
import type { SearchQuerySource } from '../../mattermost/search-bands.js';
import { type DirectoryUser, SimulatedUser } from '../../mattermost/simulated-user.js';
import { OpenSocketCount } from '../../mattermost/ws-session.js';
import { type Counter, METRIC, type Metrics, type Trend } from '../../metrics/api.js';
import type { SeedCredentials } from '../../seed/credentials.js';

// The simulated users of one behaviour (user model or action loop): who VU n is, creating and
// closing them, running one action with its metrics, and the delivery tracker they share.

export interface SimulatedUsersOptions {
  metrics: Metrics;
  /** Base URLs; VU n talks to urls[n % length] (normally one: the load balancer). */
  urls: readonly string[];
  /** Accounts from `mmdrill seed`; VU n logs in as users[n % length]. Absent: no logins. */
  credentials?: SeedCredentials;
  /** Seed of every random choice (`--seed`); the same seed gives the same choices. */
  seed?: number | string;
  ws?: { minRetryMs?: number; jitterMs?: number; pingIntervalMs?: number };
  requestTimeoutMs?: number;
  /** The environment has an object store (file uploads work). */
  fileUploads?: boolean;
  /** How long to wait at the end for posts still on their way. Default 5 s. */
  drainMs?: number;
  /** Keep the official WebSocketClient's console chatter (default: dropped). */
  clientLogs?: boolean;
  /**
   * Keep each user's REST client between actions: faster for tight loops, ~34 KB more per user
   * (default: released after every action, which idle users need to stay small).
   */
  keepClients?: boolean;
  /** Query bands of post searches (the seeded corpus's); absent: load-test-ng's one word. */
  searchQueries?: SearchQuerySource;
}

export class SimulatedUsers {
  readonly delivery: DeliveryTracker;
  readonly seed: string;
  private readonly users = new Map<number, SimulatedUser>();
  private readonly openSockets: OpenSocketCount;
  private readonly directory: DirectoryUser[];
  private readonly actionDuration: Trend;
  private readonly actionCount: Counter;
  private readonly actionTags = new Map<string, { action: string }>();
  private summary: DeliverySummary | null = null;
  /** Set when close() begins: users started after it are closed at once. */
  private closing = false;
  private readonly acknowledged: string[] = [];

  constructor(private readonly options: SimulatedUsersOptions) {
    if (options.urls.length === 0) throw new Error('no Mattermost URL to send users to');
    if (!options.clientLogs) quietWebSocketClientLogs();
    this.seed = String(options.seed ?? Date.now());
    // One tracker per behaviour: its VU numbers are its own (another scenario's VU 0 is someone else).
    this.delivery = new DeliveryTracker({ metrics: options.metrics });
    this.openSockets = new OpenSocketCount(options.metrics);
    this.directory = (options.credentials?.users ?? []).map((u) => ({ id: u.id, username: u.username }));
    this.actionDuration = options.metrics.trend(METRIC.actionDuration);
    this.actionCount = options.metrics.counter(METRIC.actions);
  }

  /** Creates VU `vu`'s user; `login` also logs it in, loads its channels and opens its WebSocket. */
  async add(vu: number, signal: AbortSignal, login: boolean): Promise<SimulatedUser> {
    // Executors initialise many VUs at once under one signal; each start listens to it (no leak:
    // the listeners go when the start ends), which would trip Node's warning at 10.
    setMaxListeners(0, signal);
    const { credentials, urls } = this.options;
    const account = credentials ? credentials.users[vu % credentials.users.length] : undefined;
    if (login && !account)
      throw new Error('these actions need logged-in users: run `mmdrill seed` and pass its credentials');
    const user = new SimulatedUser({
      routines: { firstLoad, resync },
      vu,
      baseUrl: urls[vu % urls.length]!,
      account,
      metrics: this.options.metrics,
      delivery: this.delivery,
      rng: seededRandom(`${this.seed}:${vu}:choices`),
      directory: this.directory,
      openSockets: this.openSockets,
      ...(this.options.ws && { ws: this.options.ws }),
      ...(this.options.requestTimeoutMs !== undefined && { requestTimeoutMs: this.options.requestTimeoutMs }),
      fileUploads: this.options.fileUploads ?? false,
      keepClient: this.options.keepClients ?? false,
      onAcknowledged: (postId) => this.acknowledged.push(postId),
      ...(this.options.searchQueries && { searchQueries: this.options.searchQueries }),
    });
    // A VU initialised again (after a failed start) leaves nothing of its previous life behind.
    this.users.get(vu)?.close();
    this.users.delete(vu);
    if (login) {
      try {
        await user.start(signal);
      } catch (error) {
        user.close();
        throw error;
      }
    }
    // A start that finished after close() (a VU re-initialised at the very end of a run) would
    // leave its WebSocket client retrying, with backoff up to 5 min, and keep the process alive.
    if (this.closing) {
      user.close();
      return user;
    }
    this.users.set(vu, user);
    return user;
  }

  get(vu: number): SimulatedUser {
    const user = this.users.get(vu);
    if (!user) throw new Error(`VU ${vu} was not initialised`);
    return user;
  }

  /** Ids of every post the server acknowledged to these users (26 bytes each), for the loss audit. */
  acknowledgedPosts(): readonly string[] {
    return this.acknowledged;
  }

  get size(): number {
    return this.users.size;
  }

  /**
   * Runs `action` as `user`, recording `mm_action_duration` from `startedAt` (the iteration's
   * intended start in the open model) and `mm_actions{ok}`. An action cut short by the run's
   * end is not recorded. Resolves to the error, if any, rather than throwing.
   */
  async run(user: SimulatedUser, action: Action, signal: AbortSignal, startedAt: number): Promise<unknown> {
    let error: unknown = null;
    try {
      await inScope({ action: action.name, signal }, () => action.run(user));
    } catch (err) {
      error = err ?? new Error('action failed');
    }
    user.idle();
    if (error !== null && signal.aborted) return error;
    let tags = this.actionTags.get(action.name);
    if (!tags) {
      tags = { action: action.name };
      this.actionTags.set(action.name, tags);
    }
    this.actionDuration.add(performance.now() - startedAt, tags);
    this.actionCount.add(1, { action: action.name, ok: error === null ? 'true' : 'false' });
    return error;
  }

  /** Drains deliveries, runs the final refetch pass, then closes every session. */
  async close(): Promise<DeliverySummary> {
    if (this.summary) return this.summary;
    this.closing = true;
    this.summary = await this.delivery.finish({
      drainMs: this.options.drainMs ?? 5_000,
      refetch: (vu, channels, since) =>
        this.users.get(vu)?.finalRefetch(channels, since) ?? Promise.resolve(),
    });
    for (const user of this.users.values()) user.close();
    this.users.clear();
    return this.summary;
  }
}
