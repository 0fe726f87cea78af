import { BodyReader } from '../http/body.js';
import type { Reply, RequestContext } from '../http/context.js';
import { AppError, forbidden, invalidParam } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { Services } from '../services.js';
import { addMetadata, PostListBuilder } from '../store/posts.js';
import { isEmptySearch, matchedWords, parseSearchTerms, searchPosts } from '../store/search.js';
import { canViewTeam } from '../store/teams.js';
import { idParam } from './params.js';

function invalidSearchBody(detail: string): AppError {
  return new AppError(
    'api.post.search_posts.invalid_body.app_error',
    'Unable to parse the request body.',
    400,
    detail,
  );
}

async function search(ctx: RequestContext, s: Services, teamId: string): Promise<Reply> {
  let body: BodyReader;
  try {
    body = new BodyReader(await ctx.json('search'), 'search');
  } catch (err) {
    if (err instanceof AppError && err.statusCode === 400) throw invalidSearchBody(err.detailedError);
    throw err;
  }
  const terms = body.optionalString('terms');
  if (terms === '') throw invalidParam('terms');
  const page = body.optionalNumber('page');
  const query = parseSearchTerms(terms.trim());
  const list = new PostListBuilder();
  const matches: Record<string, string[]> = {};
  // The database search has no paging: page 0 holds every result (up to 100), later pages none.
  if (page === 0 && !isEmptySearch(query) && terms.trim() !== '*') {
    const rows = await searchPosts(s.db, query, {
      userId: ctx.me.user_id,
      teamId,
      orTerms: body.optionalBoolean('is_or_search'),
      includeDeletedChannels: body.optionalBoolean('include_deleted_channels'),
      timeZoneOffset: body.optionalNumber('time_zone_offset'),
    });
    for (const row of rows) {
      list.add(row, true);
      matches[row.id] = matchedWords(query, row.message);
    }
    await addMetadata(s.db, list.posts.values());
  }
  return {
    status: 200,
    body: { ...list.build(), matches },
    headers: { 'Cache-Control': 'no-cache, no-store, must-revalidate' },
  };
}

export function registerSearchRoutes(api: ApiRouter): void {
  api.post('/api/v4/teams/:team_id/posts/search', 'searchPostsInTeam', async (ctx, s) => {
    const teamId = idParam(ctx, 'team_id');
    if (!(await canViewTeam(s.db, teamId, ctx.me))) throw forbidden('view_team');
    return search(ctx, s, teamId);
  });

  // SearchPostsAllTeams (LTNG, server >= 10.7): the same search over every team of the user.
  api.post('/api/v4/posts/search', 'searchPostsInAllTeams', async (ctx, s) => search(ctx, s, ''));
}
