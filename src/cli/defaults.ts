import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../common/package-root.js';

/** `environments/native.yaml` of the working directory if there is one, else the package's own. */
export function defaultEnvironmentFile(): string {
  const local = join('environments', 'native.yaml');
  if (existsSync(local)) return local;
  const shipped = join(packageRoot(), 'environments', 'native.yaml');
  return relative(process.cwd(), shipped) || shipped;
}
