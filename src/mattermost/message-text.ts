import type { Random } from '../common/seeded-random.js';

// Message text for seeded history and simulated posts, from a fixed vocabulary, so that searches
// (which draw their terms from the same words) find something.

export const WORDS = [
  'deploy',
  'release',
  'incident',
  'database',
  'latency',
  'backup',
  'network',
  'cluster',
  'review',
  'meeting',
  'report',
  'customer',
  'roadmap',
  'budget',
  'ticket',
  'server',
  'update',
  'migration',
  'security',
  'patch',
  'rollback',
  'monitoring',
  'alert',
  'capacity',
  'storage',
  'config',
  'feature',
  'testing',
  'standup',
  'planning',
  'design',
  'feedback',
  'metrics',
  'dashboard',
  'pipeline',
  'build',
  'outage',
  'failover',
  'replica',
  'upgrade',
  'schedule',
  'training',
  'contract',
  'invoice',
  'travel',
  'lunch',
  'coffee',
  'weekend',
  'holiday',
  'question',
] as const;

/** A sentence of `min`..`max` words. */
export function messageText(rng: Random, min = 3, max = 14): string {
  const count = min + rng.int(max - min + 1);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(WORDS[rng.int(WORDS.length)]!);
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** One vocabulary word, as a search term. */
export function searchWord(rng: Random): string {
  return WORDS[rng.int(WORDS.length)]!;
}
