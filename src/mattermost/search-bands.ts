import type { Random } from '../common/seeded-random.js';

// The kinds of post search a workspace sees, as bands whose costs differ: a common term reads a
// long posting list, a rare term a short one, a phrase checks word positions, a hashtag reads
// another column, from:/in: join users and channels, a date range scans by time. A search load
// that mixes them blindly reports one latency that hides a slow band; the search action records
// each search under its band (`mm_search_duration{band}`, `mm_search_results{band}`). The queries
// themselves come from the seeded corpus's statistics (src/seed/corpus/search-queries.ts),
// handed to the users by the load layer through SearchQuerySource.

export const SEARCH_BANDS = ['common', 'rare', 'phrase', 'hashtag', 'from', 'in', 'date'] as const;
export type SearchBand = (typeof SEARCH_BANDS)[number];

/** What the user searching knows, for from: and in: queries. */
export interface SearchContext {
  /** Usernames the user can name (its directory). */
  usernames: readonly string[];
  /** URL names of channels of the user's current team. */
  channelNames: readonly string[];
}

export interface BandedQuery {
  band: SearchBand;
  /** The text typed into the search box (Mattermost's `terms`). */
  terms: string;
  /** The username of a from: query and the channel of an in: query, for the autocomplete typing. */
  from?: string;
  in?: string;
}

export interface SearchQuerySource {
  draw(rng: Random, context: SearchContext): BandedQuery;
}
