import { randomBytes } from 'node:crypto';

// Credentials generated for each containers stack. They live only in the containers' environment
// (and this process's memory): never in the stack document, a log line or an error message.

export interface StackSecrets {
  /** Password of the PostgreSQL role the app nodes use. */
  databasePassword: string;
  /** Password of the role the streaming replica connects as. */
  replicationPassword: string;
  /** Root credentials of the object store, which the app nodes use as their S3 keys. */
  objectStoreAccessKey: string;
  objectStoreSecretKey: string;
}

/** Hex only: safe unquoted in a URL, a shell word and an environment variable. */
export function generateSecrets(random: (bytes: number) => Buffer = randomBytes): StackSecrets {
  return {
    databasePassword: random(18).toString('hex'),
    replicationPassword: random(18).toString('hex'),
    objectStoreAccessKey: `mmdrill${random(6).toString('hex')}`,
    objectStoreSecretKey: random(20).toString('hex'),
  };
}

export function secretValues(secrets: StackSecrets): string[] {
  return Object.values(secrets);
}

/** The text with every secret value replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is not left half-visible.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out;
}

/**
 * An error safe to show: same name and message with secrets redacted, no cause (a cause from a
 * client library may carry a request with credentials in it).
 */
export function redactError(error: unknown, secrets: readonly string[]): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const safe = new Error(redact(source.message, secrets));
  safe.name = source.name;
  if (source.stack) safe.stack = redact(source.stack, secrets);
  return safe;
}
