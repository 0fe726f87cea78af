import { ClientError } from './official-client.js';

// When a request fails, the operator's first question is "who said no?": Mattermost itself (a
// JSON AppError with an id, e.g. `api.post.create_post.root_id.app_error`), the load balancer in
// front of it (NGINX's HTML error page and `Server: nginx` when every upstream is down), or
// nothing at all (a refused connection, a timeout). A failed request therefore keeps the method,
// the endpoint template, the status and which component answered, and `describeFailure` says all
// of it on one line instead of the first line of an HTML page (`<html>`).

/** Which component produced a failed answer. */
export type AnsweringComponent = 'mattermost' | 'load balancer' | 'proxy' | 'unknown' | 'no answer';

/** Client4's error (same class, same fields) with where it came from. */
export class RequestFailure extends ClientError {
  constructor(
    baseUrl: string,
    readonly method: string,
    readonly endpoint: string,
    readonly status: number,
    readonly answeredBy: AnsweringComponent,
    /** The answer's Server header, when it had one. */
    readonly serverHeader: string | undefined,
    data: { message: string; server_error_id?: string; detailed_error?: string; url: string },
  ) {
    super(baseUrl, { ...data, status_code: status });
    this.name = 'RequestFailure';
  }
}

function htmlTitle(text: string): string | undefined {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1>([^<]*)<\/h1>/i.exec(text)?.[1];
  return title?.trim() || undefined;
}

/** Who answered, judged from the body (an AppError is Mattermost's) and the Server header. */
export function answeringComponent(data: unknown, serverHeader: string | undefined): AnsweringComponent {
  if (data !== null && typeof data === 'object') {
    const body = data as Record<string, unknown>;
    if (typeof body.id === 'string' && typeof body.message === 'string') return 'mattermost';
  }
  if (serverHeader !== undefined && /nginx|haproxy|envoy|traefik|caddy/i.test(serverHeader))
    return 'load balancer';
  if (typeof data === 'string' && /<html|<!doctype/i.test(data)) return 'proxy';
  return 'unknown';
}

/** The failure's message: Mattermost's own, the HTML page's title, or a short plain-text body. */
export function failureMessage(data: unknown, status: number): string {
  if (data !== null && typeof data === 'object') {
    const message = (data as Record<string, unknown>).message;
    if (typeof message === 'string') return message;
  }
  if (typeof data === 'string') {
    const title = htmlTitle(data);
    if (title !== undefined) return title;
    const line = data.trim().split('\n')[0]?.trim() ?? '';
    if (line !== '' && !line.startsWith('<') && line.length < 200) return line;
  }
  return `HTTP ${status}`;
}

const COMPONENT_TEXT: Record<AnsweringComponent, string> = {
  mattermost: 'Mattermost (the app answered with an error)',
  'load balancer': 'the load balancer (not Mattermost: no app node answered it)',
  proxy: 'a proxy in front of Mattermost (an HTML error page, not an app error)',
  unknown: 'an unidentified component (neither an app error nor an HTML page)',
  'no answer': 'nobody (no connection or no answer)',
};

/**
 * One line for an operator: `POST /api/v4/posts: 502 Bad Gateway from the load balancer (Server: nginx/1.22.1)`,
 * `POST /api/v4/posts: 400 from Mattermost (…): Invalid RootId parameter. [api.post…]`.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof RequestFailure) {
    // A proxy's Server header on Mattermost's own answer would only confuse: shown for the others.
    const server =
      error.serverHeader === undefined || error.answeredBy === 'mattermost'
        ? ''
        : `, Server: ${error.serverHeader}`;
    const id = error.server_error_id ? ` [${error.server_error_id}]` : '';
    if (error.answeredBy === 'no answer')
      return `${error.method} ${error.endpoint}: no answer: ${error.message}`;
    return `${error.method} ${error.endpoint}: ${error.status} from ${COMPONENT_TEXT[error.answeredBy]}${server}: ${error.message}${id}`;
  }
  const text = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${text.split('\n')[0]!.slice(0, 200)}${cause}`;
}
