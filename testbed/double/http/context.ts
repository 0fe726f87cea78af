import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Session } from '../model/types.js';
import { BodyReader, readBody, readJson } from './body.js';
import { invalidParam, sessionExpired } from './errors.js';

/** What a handler sees of one request. */
export class RequestContext {
  session: Session | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly params: Record<string, string | undefined>,
    readonly query: URLSearchParams,
    private readonly bodyLimit: number,
  ) {}

  /** The authenticated session; handlers registered with `auth: true` always have one. */
  get me(): Session {
    if (!this.session) throw sessionExpired();
    return this.session;
  }

  param(name: string): string {
    return this.params[name] ?? '';
  }

  async json(name: string): Promise<unknown> {
    return readJson(this.req, this.bodyLimit, name);
  }

  async object(name: string): Promise<BodyReader> {
    return new BodyReader(await this.json(name), name);
  }

  async raw(limit = this.bodyLimit): Promise<Buffer> {
    return readBody(this.req, limit);
  }

  /** Integer query parameter with a default, rejecting garbage with 400. */
  intQuery(name: string, fallback: number): number {
    const raw = this.query.get(name);
    if (raw === null || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw invalidParam(name);
    return n;
  }

  /** Mattermost paging: page from 0, per_page default 60 and silently capped at 200. */
  paging(): { page: number; perPage: number } {
    const page = this.intQuery('page', 0);
    const perPage = Math.min(this.intQuery('per_page', 60), 200);
    return { page, perPage };
  }
}

/** A handler's answer; the router writes it with Mattermost's headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (file downloads); written as-is with the given headers. */
  raw?: Buffer;
}

export function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

export const statusOk: Reply = { status: 200, body: { status: 'OK' } };
