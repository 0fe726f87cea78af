import type { IncomingMessage, ServerResponse } from 'node:http';
import findMyWay, { type HTTPVersion, type Instance } from 'find-my-way';
import { newId } from '../model/ids.js';
import type { Services } from '../services.js';
import { type Reply, RequestContext } from './context.js';
import { AppError, methodNotAllowed, routeNotFound, sessionExpired, storeError } from './errors.js';

export type Handler = (ctx: RequestContext, services: Services) => Promise<Reply>;

export interface RouteOptions {
  /** Requires a valid session (default true). */
  auth?: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The API router: registers handlers by Mattermost's handler names (used as the `handler`
 * label of `mattermost_api_time`), authenticates, and writes every response with Mattermost's
 * headers and error body.
 */
export class ApiRouter {
  private readonly router: Instance<HTTPVersion.V1>;

  constructor(private readonly services: Services) {
    this.router = findMyWay({
      ignoreTrailingSlash: true,
      defaultRoute: (req, res) => {
        // find-my-way calls defaultRoute for both unknown paths and wrong methods.
        const known = this.hasPath(req.url ?? '/');
        const err = known ? methodNotAllowed() : routeNotFound();
        void this.finish(req, res, 'notFound', newId(), Date.now(), err);
      },
    });
  }

  private hasPath(url: string): boolean {
    const path = url.split('?')[0] ?? '/';
    return (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).some(
      (m) => this.router.find(m, path) !== null,
    );
  }

  get(path: string, name: string, handler: Handler, options?: RouteOptions): void {
    this.add('GET', path, name, handler, options);
  }

  post(path: string, name: string, handler: Handler, options?: RouteOptions): void {
    this.add('POST', path, name, handler, options);
  }

  put(path: string, name: string, handler: Handler, options?: RouteOptions): void {
    this.add('PUT', path, name, handler, options);
  }

  patch(path: string, name: string, handler: Handler, options?: RouteOptions): void {
    this.add('PATCH', path, name, handler, options);
  }

  delete(path: string, name: string, handler: Handler, options?: RouteOptions): void {
    this.add('DELETE', path, name, handler, options);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    // gorilla/mux (Mattermost's root router, no SkipClean) answers an unclean path — a double
    // slash, `.` or `..` segments — with 301 to the cleaned path, query kept, before routing.
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const clean = cleanPath(path);
    if (clean !== path) {
      res.writeHead(301, { Location: clean + (queryAt < 0 ? '' : url.slice(queryAt)) });
      res.end();
      return;
    }
    this.router.lookup(req, res);
  }

  private add(
    method: Method,
    path: string,
    name: string,
    handler: Handler,
    options: RouteOptions = {},
  ): void {
    const auth = options.auth ?? true;
    this.router.on(method, path, (req, res, params) => {
      const requestId = newId();
      const started = Date.now();
      const url = new URL(req.url ?? '/', 'http://double.invalid');
      const ctx = new RequestContext(
        req,
        res,
        requestId,
        params,
        url.searchParams,
        this.services.config.maxRequestBodyBytes,
      );
      void this.run(ctx, name, handler, auth).then((outcome) =>
        this.finish(req, res, name, requestId, started, outcome),
      );
    });
  }

  private async run(
    ctx: RequestContext,
    name: string,
    handler: Handler,
    auth: boolean,
  ): Promise<Reply | AppError> {
    try {
      await this.services.capacityGate?.pass();
      const limited = this.services.rateLimiter?.check(ctx.req, ctx.res);
      if (limited) return limited;
      if (auth) {
        const token = tokenFrom(ctx.req);
        if (!token) throw sessionExpired();
        ctx.session = await this.services.sessions.fromToken(token);
      }
      return await handler(ctx, this.services);
    } catch (err) {
      if (err instanceof AppError) return err;
      this.services.log.error(`handler ${name} failed`, err);
      return storeError(`${name}`, err);
    }
  }

  private async finish(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    requestId: string,
    started: number,
    outcome: Reply | AppError,
  ): Promise<void> {
    const status = outcome instanceof AppError ? outcome.statusCode : outcome.status;
    this.services.metrics.observeRequest(name, req.method ?? 'GET', status, (Date.now() - started) / 1000);
    if (res.headersSent || res.writableEnded) return;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Version-Id', this.services.config.versionId);
    if (req.method === 'GET') res.setHeader('Expires', '0');
    if (outcome instanceof AppError) {
      writeJson(res, outcome.statusCode, outcome.toBody(requestId));
      return;
    }
    for (const [k, v] of Object.entries(outcome.headers ?? {})) res.setHeader(k, v);
    if (outcome.raw) {
      res.writeHead(outcome.status);
      res.end(outcome.raw);
      return;
    }
    writeJson(res, outcome.status, outcome.body ?? null);
  }
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  // Exactly `application/json`: the official JS client only parses JSON for that exact value.
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

/** `Authorization: Bearer|Token <t>` (scheme case-insensitive) or the MMAUTHTOKEN cookie. */
export function tokenFrom(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^(bearer|token)\s+(\S+)$/i.exec(header.trim());
    if (match?.[2]) return match[2];
  }
  const cookie = req.headers.cookie;
  if (cookie) {
    const match = /(?:^|;\s*)MMAUTHTOKEN=([^;]+)/.exec(cookie);
    if (match?.[1]) return match[1];
  }
  return null;
}

/** Go's path.Clean as gorilla/mux's cleanPath applies it: rooted, trailing slash kept. */
export function cleanPath(path: string): string {
  if (path === '') return '/';
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  let clean = `/${out.join('/')}`;
  if (path.endsWith('/') && clean !== '/') clean += '/';
  return clean;
}
