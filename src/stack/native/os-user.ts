import { execFileSync } from 'node:child_process';
import { chown, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** An OS account a component runs as (PostgreSQL refuses to run as root). */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

const users = new Map<string, OsUser>();

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** uid and primary gid of `name`, looked up once with `id`. */
export function lookupOsUser(name: string): OsUser {
  const cached = users.get(name);
  if (cached) return cached;
  const id = (flag: string): number => {
    try {
      return Number(
        execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim(),
      );
    } catch {
      throw new Error(`OS user '${name}' does not exist (the postgresql package creates it: npm run setup)`);
    }
  };
  const user = { name, uid: id('-u'), gid: id('-g') };
  users.set(name, user);
  return user;
}

/**
 * Throws, naming the directory to chmod, when `user` cannot traverse every directory on the way
 * to `path`. Checks owner, primary group and other bits only: Node's spawn drops supplementary
 * groups when it switches uid/gid, so they do not count.
 */
export async function assertUserCanEnter(path: string, user: OsUser): Promise<void> {
  let dir = resolve(path);
  for (;;) {
    const info = await stat(dir);
    const bit = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(
        `OS user '${user.name}' cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}); ` +
          `use a run directory under a path it can traverse, or chmod o+x ${dir}`,
      );
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export async function chownTo(path: string, user: OsUser): Promise<void> {
  await chown(path, user.uid, user.gid);
}
