import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertUserCanEnter, isRoot, lookupOsUser } from './os-user.js';

/**
 * A fresh run directory the `postgres` OS user can enter (as root, PostgreSQL runs as that
 * user). mkdtemp creates 0700 directories; the run dir is opened to 0755, and when the base
 * itself is closed to other users (TMPDIR=/root/tmp, say) /tmp is used instead.
 */
export async function createRunDir(prefix = 'mmdrill-', base = tmpdir()): Promise<string> {
  let root = base;
  await mkdir(root, { recursive: true });
  if (isRoot()) {
    const postgres = lookupOsUser('postgres');
    root = await assertUserCanEnter(root, postgres).then(
      () => root,
      () => '/tmp',
    );
  }
  const dir = await mkdtemp(join(root, prefix));
  await chmod(dir, 0o755);
  return dir;
}
