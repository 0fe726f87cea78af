import type { Database } from './db.js';
import { isConnectionError } from './db.js';
import { POST_COLUMNS, type PostRow, REPLY_COUNT } from './posts.js';

// Mattermost's database post search (no Elasticsearch/Bleve): ParseSearchParams, then one
// PostgreSQL full-text query over posts.message_tsv, newest first, at most 100 results.
// Parsing follows mattermost/mattermost server/public/model/search_params.go: flags from, in
// (channel), on, after, before, ext, each negatable with '-' and taking the next word when written
// with a space (`from: bob`); #hashtags (and -#hashtags) a search of the hashtags column; -words
// and -"phrases" excluded; after:/before: exclusive days (GetAfterDateMillis: start of the next
// day; GetBeforeDateMillis: end of the previous day), all in the caller's time_zone_offset.

export interface SearchQuery {
  /** Plain words; `prefix` for a trailing `*`. */
  words: { text: string; prefix: boolean }[];
  /** "quoted phrases", matched as adjacent words. */
  phrases: string[][];
  /** -words: posts containing any of them are left out. */
  excluded: string[];
  hashtags: string[];
  excludedHashtags: string[];
  fromUsers: string[];
  excludedUsers: string[];
  inChannels: string[];
  excludedChannels: string[];
  onDate: string;
  afterDate: string;
  beforeDate: string;
  excludedOnDate: string;
  excludedAfterDate: string;
  excludedBeforeDate: string;
}

const TOKEN = /-?"[^"]*"?|\S+/g;
const FLAG = /^(from|in|channel|on|after|before|ext):(.*)$/i;
// Characters Mattermost treats as spaces in search terms.
const SPECIAL = /[<>+\-()~@:]/g;
const HAS_ALPHANUMERIC = /[\p{L}\p{N}]/u;

function words(text: string): string[] {
  return text
    .replace(SPECIAL, ' ')
    .split(/\s+/)
    .filter((w) => HAS_ALPHANUMERIC.test(w));
}

export function parseSearchTerms(terms: string): SearchQuery {
  const q: SearchQuery = {
    words: [],
    phrases: [],
    excluded: [],
    hashtags: [],
    excludedHashtags: [],
    fromUsers: [],
    excludedUsers: [],
    inChannels: [],
    excludedChannels: [],
    onDate: '',
    afterDate: '',
    beforeDate: '',
    excludedOnDate: '',
    excludedAfterDate: '',
    excludedBeforeDate: '',
  };
  const tokens = terms.match(TOKEN) ?? [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const negative = token.length > 1 && token.startsWith('-');
    const body = negative ? token.slice(1) : token;
    const flag = FLAG.exec(body);
    if (flag) {
      const name = (flag[1] ?? '').toLowerCase();
      let value = (flag[2] ?? '').trim();
      // `from: bob`: an empty flag takes the next word (parseSearchFlags' skipNextWord).
      if (!value && t + 1 < tokens.length) value = tokens[++t]!;
      if (!value) continue;
      if (name === 'from')
        (negative ? q.excludedUsers : q.fromUsers).push(value.replace(/^@/, '').toLowerCase());
      else if (name === 'in' || name === 'channel')
        (negative ? q.excludedChannels : q.inChannels).push(value.replace(/^~/, ''));
      else if (name === 'on') q[negative ? 'excludedOnDate' : 'onDate'] = value;
      else if (name === 'after') q[negative ? 'excludedAfterDate' : 'afterDate'] = value;
      else if (name === 'before') q[negative ? 'excludedBeforeDate' : 'beforeDate'] = value;
      continue;
    }
    if (body.startsWith('"')) {
      const phrase = words(body.replace(/"/g, ''));
      if (phrase.length === 0) continue;
      if (negative) q.excluded.push(...phrase);
      else q.phrases.push(phrase);
      continue;
    }
    if (body.startsWith('#') && body.length > 1) {
      (negative ? q.excludedHashtags : q.hashtags).push(body.replace(/^#+/, '#'));
      continue;
    }
    const prefix = body.endsWith('*');
    const parts = words(body.replace(/\*+$/, ''));
    if (negative) q.excluded.push(...parts);
    else
      for (const [i, text] of parts.entries())
        q.words.push({ text, prefix: prefix && i === parts.length - 1 });
  }
  return q;
}

/** A to_tsquery lexeme, quoted so no user input is read as tsquery syntax. */
function lexeme(word: string, prefix = false): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefix ? ':*' : ''}`;
}

export function toTsQuery(q: SearchQuery, orTerms: boolean): string {
  const positive = [
    ...q.words.map((w) => lexeme(w.text, w.prefix)),
    ...q.phrases.map((p) => `(${p.map((w) => lexeme(w)).join(' <-> ')})`),
  ];
  if (positive.length === 0) return '';
  let clause = `(${positive.join(orTerms ? ' | ' : ' & ')})`;
  if (q.excluded.length > 0) clause += ` & !(${q.excluded.map((w) => lexeme(w)).join(' | ')})`;
  return clause;
}

const DAY_MS = 86_400_000;

/** Start of a YYYY-MM-DD day in the caller's time zone (offset in seconds east of UTC). */
function dayStart(date: string, timeZoneOffset: number): number | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(date);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - timeZoneOffset * 1000;
}

export interface SearchScope {
  userId: string;
  teamId: string;
  orTerms: boolean;
  includeDeletedChannels: boolean;
  timeZoneOffset: number;
}

const SEARCH_LIMIT = 100;

export function isEmptySearch(q: SearchQuery): boolean {
  return (
    q.words.length + q.phrases.length + q.excluded.length + q.hashtags.length + q.excludedHashtags.length ===
      0 &&
    q.fromUsers.length + q.excludedUsers.length + q.inChannels.length + q.excludedChannels.length === 0 &&
    !q.onDate &&
    !q.afterDate &&
    !q.beforeDate &&
    !q.excludedOnDate &&
    !q.excludedAfterDate &&
    !q.excludedBeforeDate
  );
}

/** Runs the search; a query PostgreSQL rejects gives no results, as in Mattermost. */
export async function searchPosts(db: Database, q: SearchQuery, scope: SearchScope): Promise<PostRow[]> {
  const params: unknown[] = [scope.userId, scope.teamId];
  const arg = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  // An empty team id searches every team (POST /posts/search).
  const channelWhere = ['cm.user_id = $1', "($2 = '' OR c.team_id = $2 OR c.team_id = '')"];
  if (!scope.includeDeletedChannels) channelWhere.push('c.delete_at = 0');
  if (q.inChannels.length > 0) {
    const v = arg(q.inChannels);
    channelWhere.push(`(c.name = ANY(${v}) OR c.id = ANY(${v}))`);
  }
  if (q.excludedChannels.length > 0) {
    const v = arg(q.excludedChannels);
    channelWhere.push(`NOT (c.name = ANY(${v}) OR c.id = ANY(${v}))`);
  }
  const where = [
    'p.delete_at = 0',
    "p.type NOT LIKE 'system\\_%'",
    `p.channel_id IN (SELECT c.id FROM channels c JOIN channel_members cm ON cm.channel_id = c.id WHERE ${channelWhere.join(' AND ')})`,
  ];
  if (q.fromUsers.length > 0 || q.excludedUsers.length > 0) {
    const userWhere = ["($2 = '' OR tm.team_id = $2)"];
    if (q.fromUsers.length > 0) userWhere.push(`u.username = ANY(${arg(q.fromUsers)})`);
    if (q.excludedUsers.length > 0) userWhere.push(`u.username <> ALL(${arg(q.excludedUsers)})`);
    where.push(
      `p.user_id IN (SELECT u.id FROM users u JOIN team_members tm ON tm.user_id = u.id WHERE ${userWhere.join(' AND ')})`,
    );
  }
  const on = dayStart(q.onDate, scope.timeZoneOffset);
  if (on !== null) where.push(`p.create_at BETWEEN ${arg(on)} AND ${arg(on + DAY_MS - 1)}`);
  const after = dayStart(q.afterDate, scope.timeZoneOffset);
  if (after !== null) where.push(`p.create_at >= ${arg(after + DAY_MS)}`);
  const before = dayStart(q.beforeDate, scope.timeZoneOffset);
  if (before !== null) where.push(`p.create_at <= ${arg(before - 1)}`);
  const notOn = dayStart(q.excludedOnDate, scope.timeZoneOffset);
  if (notOn !== null) where.push(`p.create_at NOT BETWEEN ${arg(notOn)} AND ${arg(notOn + DAY_MS - 1)}`);
  const notAfter = dayStart(q.excludedAfterDate, scope.timeZoneOffset);
  if (notAfter !== null) where.push(`p.create_at < ${arg(notAfter + DAY_MS)}`);
  const notBefore = dayStart(q.excludedBeforeDate, scope.timeZoneOffset);
  if (notBefore !== null) where.push(`p.create_at > ${arg(notBefore - 1)}`);
  for (const h of q.excludedHashtags)
    where.push(`(' ' || lower(p.hashtags) || ' ') NOT LIKE ${arg(`% ${h.toLowerCase()} %`)}`);

  // Terms and hashtags are separate parameter sets in Mattermost, whose results are merged.
  const matchers: string[] = [];
  const tsquery = toTsQuery(q, scope.orTerms);
  if (tsquery) matchers.push(`p.message_tsv @@ to_tsquery('english', ${arg(tsquery)})`);
  if (q.hashtags.length > 0) {
    const tags = q.hashtags.map(
      (h) => `(' ' || lower(p.hashtags) || ' ') LIKE ${arg(`% ${h.toLowerCase()} %`)}`,
    );
    matchers.push(`(${tags.join(scope.orTerms ? ' OR ' : ' AND ')})`);
  }
  const hasText = q.words.length + q.phrases.length + q.excluded.length + q.hashtags.length > 0;
  if (hasText && matchers.length === 0) return [];
  if (matchers.length > 0) where.push(`(${matchers.join(' OR ')})`);

  try {
    const { rows } = await db.read<PostRow>(
      'PostStore.Search',
      `SELECT ${POST_COLUMNS}, ${REPLY_COUNT} FROM posts p WHERE ${where.join(' AND ')}
       ORDER BY p.create_at DESC LIMIT ${SEARCH_LIMIT}`,
      params,
    );
    return rows;
  } catch (err) {
    if (isConnectionError(err)) throw err;
    return [];
  }
}

/** The search words each result contains, for highlighting (`matches`). */
export function matchedWords(q: SearchQuery, message: string): string[] {
  const found = new Set<string>();
  const messageWords = message.split(/[^\p{L}\p{N}_']+/u).filter(Boolean);
  const lower = message.toLowerCase();
  for (const phrase of q.phrases) {
    const text = phrase.join(' ');
    if (lower.includes(text.toLowerCase())) found.add(text);
  }
  for (const { text, prefix } of q.words) {
    const term = text.toLowerCase();
    for (const word of messageWords) {
      const w = word.toLowerCase();
      // Stemming matches "searching" for "search"; a prefix term matches any continuation.
      if (w === term || w.startsWith(term) || (!prefix && term.startsWith(w) && w.length >= 3))
        found.add(word);
    }
  }
  for (const tag of q.hashtags) if (lower.includes(tag.toLowerCase())) found.add(tag);
  return [...found];
}
