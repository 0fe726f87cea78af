// The `name` tag of HTTP metrics: the endpoint as a template (`/api/v4/channels/{id}/posts`),
// never the concrete URL, so that one series exists per endpoint rather than one per channel.

const ID = /^[a-z0-9]{26}$/;
const NUMBER = /^\d+$/;
/** Segments followed by a free-form value (a name, an e-mail, an emoji). */
const NAMED_BY_PREVIOUS = new Set(['name', 'username', 'email', 'reactions', 'usernames']);
/** A plain word of the API's vocabulary (`posts`, `members`, `me`, `get_server_status`…). */
const WORD = /^[a-z][a-z_]{0,31}$/;

/**
 * `/api/v4/…` path of `url` (absolute or relative, query dropped) with ids → `{id}`, numbers →
 * `{n}`, names → `{name}`; anything else that is not a plain API word → `{param}`.
 */
export function endpointTemplate(url: string): string {
  const queryAt = url.search(/[?#]/);
  let path = queryAt === -1 ? url : url.slice(0, queryAt);
  const apiAt = path.indexOf('/api/');
  if (apiAt !== -1) path = path.slice(apiAt);
  else path = path.replace(/^[a-z]+:\/\/[^/]*/i, '');
  const segments = path.split('/');
  let previous = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    let out = segment;
    if (segment === '') out = '';
    else if (i <= 3 && (segment === 'api' || /^v\d+$/.test(segment))) out = segment;
    else if (ID.test(segment)) out = '{id}';
    else if (NUMBER.test(segment)) out = '{n}';
    else if (NAMED_BY_PREVIOUS.has(previous)) out = '{name}';
    else if (!WORD.test(segment)) out = '{param}';
    segments[i] = out;
    previous = segment;
  }
  return segments.join('/');
}
