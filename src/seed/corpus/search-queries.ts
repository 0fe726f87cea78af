import type { Random } from '../../common/seeded-random.js';
import {
  type BandedQuery,
  SEARCH_BANDS,
  type SearchBand,
  type SearchContext,
  type SearchQuerySource,
} from '../../mattermost/search-bands.js';
import { createCorpus } from './corpus.js';
import { type CorpusStatistics, corpusStatistics, type TermCount } from './statistics.js';

// Search queries drawn from a corpus's own statistics, one band at a time (search-bands.ts), so
// that every band asks something the data can answer (or, for rare terms, barely): common terms
// are the head of the term ranking, rare terms its tail (in 1–2 posts of the sample), phrases
// adjacent word pairs that occur, hashtags those used, from:/in: a user or channel the searcher
// knows with a common term, and date a two-week window inside the corpus's time span. Bands are
// drawn with equal weight, so a short run measures each of them; the statistics come from a
// sample of the corpus the seeders write (same seed, same generator).

const DAY_MS = 86_400_000;
/** Posts of the sample the statistics are computed from: enough to settle the head. */
export const STATISTICS_SAMPLE = 5_000;

function pickFrom(rng: Random, list: readonly TermCount[], fallback: string): string {
  return list.length === 0 ? fallback : list[rng.int(list.length)]!.term;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class CorpusSearchQueries implements SearchQuerySource {
  private readonly common: TermCount[];
  private readonly rare: TermCount[];
  private readonly phrases: TermCount[];

  constructor(
    private readonly stats: CorpusStatistics,
    private readonly bands: readonly SearchBand[] = SEARCH_BANDS,
  ) {
    this.common = stats.terms.slice(0, 20);
    const tail = stats.terms.filter((t) => t.posts <= 2);
    this.rare = tail.length > 0 ? tail : stats.terms.slice(-20);
    this.phrases = stats.phrases.slice(0, 100);
  }

  draw(rng: Random, context: SearchContext): BandedQuery {
    const band = this.bands[rng.int(this.bands.length)]!;
    const common = () => pickFrom(rng, this.common, 'thanks');
    switch (band) {
      case 'common':
        return { band, terms: common() };
      case 'rare':
        return { band, terms: pickFrom(rng, this.rare, 'zenith') };
      case 'phrase':
        return { band, terms: `"${pickFrom(rng, this.phrases, 'thanks team')}"` };
      case 'hashtag':
        return { band, terms: pickFrom(rng, this.stats.hashtags, '#incident') };
      case 'from': {
        const name = context.usernames[rng.int(context.usernames.length)];
        if (name === undefined) return { band: 'common', terms: common() };
        return { band, terms: `from:${name} ${common()}`, from: name };
      }
      case 'in': {
        const name = context.channelNames[rng.int(context.channelNames.length)];
        if (name === undefined) return { band: 'common', terms: common() };
        return { band, terms: `in:${name} ${common()}`, in: name };
      }
      case 'date': {
        const span = Math.max(DAY_MS, this.stats.lastAt - this.stats.firstAt);
        const from = this.stats.firstAt + rng.next() * span;
        // after: and before: are exclusive days in Mattermost: a window of 14 days between them.
        return { band, terms: `${common()} after:${day(from - DAY_MS)} before:${day(from + 14 * DAY_MS)}` };
      }
    }
  }
}

const bySeed = new Map<string, CorpusSearchQueries>();

/**
 * The query bands for the corpus of data set `seed` (the shape's name, as the seeders use it),
 * from a sample of STATISTICS_SAMPLE posts; computed once per process and seed.
 */
export function corpusSearchQueries(seed: string): CorpusSearchQueries {
  let source = bySeed.get(seed);
  if (!source) {
    const sample = createCorpus(seed, { posts: STATISTICS_SAMPLE, channels: 50, users: 200 });
    source = new CorpusSearchQueries(corpusStatistics(sample));
    bySeed.set(seed, source);
  }
  return source;
}
