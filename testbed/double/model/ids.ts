import { createHash, randomBytes } from 'node:crypto';

// Mattermost ids are 26 characters of lower-case base32 (RFC 4648 alphabet, lower-cased,
// without padding) over 16 random bytes.
const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function newId(): string {
  return encodeId(randomBytes(16));
}

/**
 * A stable id derived from `key` (the bulk import's posts: importing one archive twice finds the
 * same ids and adds nothing).
 */
export function idFrom(key: string): string {
  return encodeId(createHash('sha256').update(key).digest().subarray(0, 16));
}

function encodeId(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.slice(0, 26);
}

const ID_PATTERN = /^[a-z0-9]{26}$/;

export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
