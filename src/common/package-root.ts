// Where the mmdrill package is installed, for the files it ships (schemas, scenarios, binaries),
// and its version, which summaries, reports, exported scripts and --version all print.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The mmdrill package's root directory (where package.json is), whether this module runs
 * compiled from dist/ or as TypeScript source under vitest.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the mmdrill package root');
    dir = parent;
  }
  cached = dir;
  return dir;
}

let version: string | undefined;

/** mmdrill's version, from its package.json. */
export function mmdrillVersion(): string {
  if (version === undefined) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    version = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  }
  return version;
}
