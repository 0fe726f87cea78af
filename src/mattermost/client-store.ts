// What a real client remembers between requests beyond channels and posts (those live on the
// SimulatedUser): which users' profiles, statuses and picture versions it holds, its drafts,
// scheduled posts, bookmarks, sidebar categories and threads, and the server features its client
// config turned on. Load-test-ng keeps the same things in its memstore
// (mattermost/mattermost-load-test-ng: loadtest/store/memstore/store.go) and gates requests on them
// ("[authors not in store] POST /users/ids"), so the user model needs them to send the same
// requests in the same circumstances. Every collection is bounded: a user lives for hours.

const MAX_KNOWN_USERS = 2_000;
const MAX_ITEMS = 20;

/** Server features read from `GET /config/client` (missing key → Mattermost's default). */
export interface ClientFeatures {
  /** Collapsed reply threads on for this user (`CollapsedThreads` ≠ disabled). */
  crt: boolean;
  bookmarks: boolean;
  syncedDrafts: boolean;
  scheduledPosts: boolean;
  customProfileAttributes: boolean;
}

/** Mattermost ≥ 10's defaults: CRT always_on, bookmarks, synced drafts, scheduled posts on. */
export const DEFAULT_FEATURES: ClientFeatures = {
  crt: true,
  bookmarks: true,
  syncedDrafts: true,
  scheduledPosts: true,
  customProfileAttributes: true,
};

/** The features of a client config; a key the server does not write keeps its default. */
export function featuresOf(config: Readonly<Record<string, unknown>>): ClientFeatures {
  const flag = (key: string, fallback: boolean) => {
    const value = config[key];
    return typeof value === 'string' ? value === 'true' : fallback;
  };
  const crtSetting = typeof config.CollapsedThreads === 'string' ? config.CollapsedThreads : 'always_on';
  return {
    crt: crtSetting !== 'disabled',
    bookmarks: flag('FeatureFlagChannelBookmarks', DEFAULT_FEATURES.bookmarks),
    syncedDrafts: flag('AllowSyncedDrafts', DEFAULT_FEATURES.syncedDrafts),
    scheduledPosts: flag('ScheduledPosts', DEFAULT_FEATURES.scheduledPosts),
    customProfileAttributes: flag(
      'FeatureFlagCustomProfileAttributes',
      DEFAULT_FEATURES.customProfileAttributes,
    ),
  };
}

export class ClientStore {
  features: ClientFeatures = DEFAULT_FEATURES;
  /** Users whose profile the client holds. */
  readonly profiles = new Set<string>();
  /** Users whose status the client holds. */
  readonly statuses = new Set<string>();
  /** Picture version (ETag) by user; "0" until the server sent one. */
  readonly pictureEtags = new Map<string, string>();
  /** Channels with a synced draft (channel id). */
  readonly drafts: string[] = [];
  /** Scheduled posts: id and channel. */
  readonly scheduled: { id: string; channelId: string; message: string }[] = [];
  /** Channel bookmarks: id and channel. */
  readonly bookmarks: { id: string; channelId: string }[] = [];
  /** Thread ids of the current team the client has loaded. */
  threads: string[] = [];
  /** Custom profile attribute field ids (from `GET /custom_profile_attributes/fields`). */
  cpaFields: string[] = [];
  /** Users whose custom profile attributes were loaded. */
  readonly cpaValues = new Set<string>();
  /** Posts of others that asked for an acknowledgement. */
  readonly ackRequests: string[] = [];

  knowProfile(id: string): void {
    addBounded(this.profiles, id);
  }

  knowStatus(id: string): void {
    addBounded(this.statuses, id);
  }

  pictureEtag(id: string): string {
    return this.pictureEtags.get(id) ?? '0';
  }

  setPictureEtag(id: string, etag: string): void {
    if (this.pictureEtags.size >= MAX_KNOWN_USERS) this.pictureEtags.clear();
    this.pictureEtags.set(id, etag);
  }

  remember<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > MAX_ITEMS) list.shift();
  }

  /** Clears everything a reload or a new login clears (load-test-ng: `store.Clear`). */
  clear(): void {
    this.profiles.clear();
    this.statuses.clear();
    this.pictureEtags.clear();
    this.threads = [];
    this.cpaValues.clear();
  }
}

function addBounded(set: Set<string>, id: string): void {
  if (set.size >= MAX_KNOWN_USERS) set.clear();
  set.add(id);
}
