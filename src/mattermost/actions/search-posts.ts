import { performance } from 'node:perf_hooks';
import { METRIC } from '../../metrics/api.js';
import { searchWord } from '../message-text.js';
import type { BandedQuery } from '../search-bands.js';
import type { SimulatedUser } from '../simulated-user.js';
import type { Action } from './action.js';
import { profileImage } from './post-info.js';

/**
 * SearchPosts (load-test-ng 0.0218; simulcontroller/actions.go searchPosts): the user types a
 * `from:` user (autocomplete per character, with the images of the users returned) or an `in:`
 * channel (channel autocomplete per character) when the query has one, then
 * `POST /teams/{id}/posts/search`. With the seeded corpus's query bands (search-bands.ts) the
 * query is drawn from a band and the search recorded under it; without them, as load-test-ng:
 * one word, 20 % with from:, 20 % with in:.
 */
export const searchPosts: Action = {
  name: 'search_posts',
  needsLogin: true,
  async run(user) {
    const teamId = user.team.id;
    const query = drawQuery(user);
    if (query.from !== undefined) {
      const name = query.from;
      for (let i = 1; i <= Math.min(4, name.length); i++) {
        await user.pause(100 + user.rng.int(200));
        const found = await user.call<{ users?: { id: string }[] }>(
          'GET',
          `/users/autocomplete?in_team=${teamId}&limit=25&name=${encodeURIComponent(name.slice(0, i))}`,
        );
        for (const u of found.data.users ?? []) await profileImage(user, u.id);
      }
    }
    if (query.in !== undefined) {
      const name = query.in;
      for (let i = 1; i <= Math.min(4, name.length); i++) {
        await user.pause(100 + user.rng.int(200));
        await user.call(
          'GET',
          `/teams/${teamId}/channels/search_autocomplete?name=${encodeURIComponent(name.slice(0, i))}`,
        );
      }
    }
    await bandedSearch(user, `/teams/${teamId}/posts/search`, query);
  },
};

/** A query from the corpus's bands, or load-test-ng's one word with optional from:/in:. */
function drawQuery(user: SimulatedUser): BandedQuery | (Omit<BandedQuery, 'band'> & { band?: undefined }) {
  const channelNames = user.teamChannels().map((c) => c.name);
  if (user.searchQueries) {
    return user.searchQueries.draw(user.rng, {
      usernames: user.directory.map((u) => u.username),
      channelNames,
    });
  }
  const parts = [searchWord(user.rng)];
  const out: Omit<BandedQuery, 'band'> = { terms: '' };
  if (user.rng.chance(0.2)) {
    out.from = user.rng.pick(user.directory)?.username ?? user.me.username;
    parts.unshift(`from:${out.from}`);
  }
  if (user.rng.chance(0.2)) {
    out.in = user.rng.pick(channelNames) || 'town-square';
    parts.unshift(`in:${out.in}`);
  }
  out.terms = parts.join(' ');
  return out;
}

/** The search request; a banded one records its duration and result count under its band. */
export async function bandedSearch(
  user: SimulatedUser,
  path: string,
  query: Pick<BandedQuery, 'terms'> & { band?: BandedQuery['band'] | undefined },
): Promise<void> {
  const started = performance.now();
  const answer = await user.call<{ order?: string[] }>('POST', path, {
    terms: query.terms,
    is_or_search: false,
  });
  if (query.band === undefined) return;
  const tags = { band: query.band };
  user.metrics.trend(METRIC.searchDuration).add(performance.now() - started, tags);
  user.metrics.trend(METRIC.searchResults).add(answer.data.order?.length ?? 0, tags);
}
