import { SEARCH_BANDS } from '../mattermost/search-bands.js';
import { METRIC } from '../metrics/api.js';
import type { MetricsRegistry } from '../metrics/registry.js';
import type { Summary } from '../summary/summary-schema.js';
import { decimal, integer, ms } from './format.js';
import { cell, type Table } from './table-model.js';

// Post search latency and result counts per query band (src/mattermost/search-bands.ts): one
// latency over all searches hides that a rare term or a date range is slow; per band it shows.
// Built from mm_search_duration{band} and mm_search_results{band} into summary.json's
// `searchBands`, then into a table of summary.md and report.html.

export type SearchBands = NonNullable<Summary['searchBands']>;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

export function searchBands(registry: MetricsRegistry): SearchBands | undefined {
  const results = new Map(
    registry.groupBy(METRIC.searchResults, ['band']).map((g) => [g.tags.band ?? '', g.sink]),
  );
  const out: SearchBands = [];
  for (const { tags, sink } of registry.groupBy(METRIC.searchDuration, ['band'])) {
    if (sink.type !== 'trend' || sink.count === 0 || tags.band === undefined) continue;
    const found = results.get(tags.band);
    const counts = found?.type === 'trend' && found.count > 0 ? found : undefined;
    out.push({
      band: tags.band,
      searches: sink.count,
      latency: {
        p50: round(sink.percentile(50)),
        p95: round(sink.percentile(95)),
        p99: round(sink.percentile(99)),
        max: round(sink.max),
      },
      results: {
        mean: counts ? round(counts.avg, 2) : 0,
        p50: counts ? Math.round(counts.percentile(50)) : 0,
        max: counts ? counts.max : 0,
      },
    });
  }
  const order = (band: string) => {
    const i = (SEARCH_BANDS as readonly string[]).indexOf(band);
    return i === -1 ? SEARCH_BANDS.length : i;
  };
  out.sort((a, b) => order(a.band) - order(b.band) || a.band.localeCompare(b.band));
  return out.length > 0 ? out : undefined;
}

export function searchBandTable(summary: Summary): Table | undefined {
  const bands = summary.searchBands;
  if (bands === undefined) return undefined;
  return {
    id: 'search-bands',
    title: 'Post search by query band',
    header: [
      'band',
      'searches',
      'p50',
      'p95',
      'p99',
      'max',
      'results (mean)',
      'results (p50)',
      'results (max)',
    ],
    rows: bands.map((b) => [
      cell.code(b.band),
      cell.num(integer(b.searches)),
      cell.num(ms(b.latency.p50)),
      cell.num(ms(b.latency.p95)),
      cell.num(ms(b.latency.p99)),
      cell.num(ms(b.latency.max)),
      cell.num(decimal(b.results.mean, 1)),
      cell.num(integer(b.results.p50)),
      cell.num(integer(b.results.max)),
    ]),
    note: 'Duration of the search request itself; queries drawn from the seeded corpus (docs/search.md). Results: posts on the first page (Mattermost returns at most 100).',
  };
}
