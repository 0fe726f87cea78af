import type { IncomingMessage } from 'node:http';
import { AppError, bodyTooLarge, invalidBodyParam } from './errors.js';

/** Reads the whole request body, refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    throw bodyTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw bodyTooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON body; malformed JSON is Mattermost's "invalid or missing <name> in request body". */
export async function readJson(req: IncomingMessage, limit: number, name: string): Promise<unknown> {
  const raw = await readBody(req, limit);
  if (raw.length === 0) throw invalidBodyParam(name, 'empty body');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw invalidBodyParam(name, err instanceof Error ? err.message : 'malformed JSON');
  }
}

/** Typed field access for request bodies: every failure names the field, Mattermost-style. */
export class BodyReader {
  constructor(
    private readonly value: unknown,
    private readonly name: string,
  ) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalidBodyParam(name, 'expected a JSON object');
    }
  }

  private get obj(): Record<string, unknown> {
    return this.value as Record<string, unknown>;
  }

  string(field: string): string {
    const v = this.obj[field];
    if (typeof v !== 'string' || v.length === 0)
      throw invalidBodyParam(`${this.name}.${field}`, 'expected a non-empty string');
    return v;
  }

  optionalString(field: string, fallback = ''): string {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') throw invalidBodyParam(`${this.name}.${field}`, 'expected a string');
    return v;
  }

  optionalNumber(field: string, fallback = 0): number {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalidBodyParam(`${this.name}.${field}`, 'expected a number');
    return v;
  }

  optionalBoolean(field: string, fallback = false): boolean {
    const v = this.obj[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw invalidBodyParam(`${this.name}.${field}`, 'expected a boolean');
    return v;
  }

  optionalStringArray(field: string): string[] {
    const v = this.obj[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw invalidBodyParam(`${this.name}.${field}`, 'expected an array of strings');
    }
    return v as string[];
  }

  optionalObject(field: string): Record<string, unknown> {
    const v = this.obj[field];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v))
      throw invalidBodyParam(`${this.name}.${field}`, 'expected an object');
    return v as Record<string, unknown>;
  }
}

export function expectStringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) {
    throw invalidBodyParam(name, 'expected an array of strings');
  }
  return value as string[];
}

export { AppError };
