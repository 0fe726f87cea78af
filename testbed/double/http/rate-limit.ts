import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimitConfig } from '../config.js';
import type { Reply } from './context.js';

/**
 * Mattermost's optional API rate limiting: a token bucket per remote address, X-RateLimit-*
 * headers on every response, and 429 with Retry-After and a plain-text body when exhausted.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly config: RateLimitConfig) {}

  /** Sets the headers; returns a reply only when the request is refused (written as-is). */
  check(req: IncomingMessage, res: ServerResponse): Reply | null {
    const key = req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const capacity = this.config.maxBurst + 1;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updated: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) / 1000) * this.config.perSec);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    const resetSeconds = Math.ceil((capacity - bucket.tokens) / this.config.perSec);
    res.setHeader('X-RateLimit-Limit', String(capacity));
    res.setHeader('X-RateLimit-Reset', String(resetSeconds));
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / this.config.perSec));
      res.setHeader('X-RateLimit-Remaining', '0');
      res.setHeader('Retry-After', String(retryAfter));
      res.writeHead(429, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('limit exceeded\n');
      return { status: 429 };
    }
    bucket.tokens -= 1;
    res.setHeader('X-RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    return null;
  }
}
