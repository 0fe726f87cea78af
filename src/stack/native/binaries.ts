import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

// Where the native provider finds its components, and what to run when one is missing.

export const INSTALL_HINTS = {
  postgres: 'apt-get install -y postgresql   (or: npm run setup)',
  nginx: 'apt-get install -y nginx-light   (or: npm run setup)',
  toxiproxy: 'go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0   (or: npm run setup)',
  versitygw: 'go install github.com/versity/versitygw/cmd/versitygw@v1.8.0   (or: npm run setup)',
  coturn: 'apt-get install -y coturn   (or: npm run setup)',
} as const;

export type NativeComponent = keyof typeof INSTALL_HINTS;

export class MissingBinaryError extends Error {
  override readonly name = 'MissingBinaryError';
  constructor(
    readonly component: NativeComponent,
    detail: string,
  ) {
    super(`${component} not found: ${detail}. Install it with: ${INSTALL_HINTS[component]}`);
  }
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
// nginx lives in /usr/sbin, which a non-root PATH often lacks.
const EXTRA_SEARCH_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable called `name` on PATH (plus the sbin directories). */
export function findOnPath(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_SEARCH_DIRS];
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

let cachedGoBinDir: string | undefined;

/** Where `go install` puts binaries: $GOBIN, else the first GOPATH entry's bin, else ~/go/bin. */
export function goBinDir(): string {
  if (cachedGoBinDir !== undefined) return cachedGoBinDir;
  let gobin = process.env.GOBIN ?? '';
  let gopath = process.env.GOPATH ?? '';
  try {
    const [envGobin = '', envGopath = ''] = execFileSync('go', ['env', 'GOBIN', 'GOPATH'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\n');
    gobin = envGobin.trim() || gobin;
    gopath = envGopath.trim() || gopath;
  } catch {
    // No Go toolchain: binaries may still have been copied into ~/go/bin.
  }
  const firstGopath = gopath.split(delimiter)[0] || join(homedir(), 'go');
  cachedGoBinDir = gobin || join(firstGopath, 'bin');
  return cachedGoBinDir;
}

/** bin directory of the highest PostgreSQL major version under /usr/lib/postgresql. */
export function postgresBinDir(root = POSTGRES_ROOT): string {
  let versions: string[];
  try {
    versions = readdirSync(root).filter((entry) => /^\d+$/.test(entry));
  } catch {
    throw new MissingBinaryError('postgres', `${root} does not exist`);
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (isExecutable(join(bin, 'postgres')) && isExecutable(join(bin, 'initdb'))) return bin;
  }
  throw new MissingBinaryError('postgres', `no ${root}/<version>/bin with postgres and initdb`);
}

export function findNginx(): string {
  const path = findOnPath('nginx');
  if (!path) throw new MissingBinaryError('nginx', 'no nginx on PATH or in /usr/sbin');
  return path;
}

/** Toxiproxy's server: `go install` names it `server`; release tarballs name it `toxiproxy-server`. */
export function findToxiproxyServer(): string {
  const goBuilt = join(goBinDir(), 'server');
  if (isExecutable(goBuilt)) return goBuilt;
  const released = findOnPath('toxiproxy-server');
  if (released) return released;
  throw new MissingBinaryError('toxiproxy', `neither ${goBuilt} nor toxiproxy-server on PATH`);
}

export function findVersityGateway(): string {
  const goBuilt = join(goBinDir(), 'versitygw');
  if (isExecutable(goBuilt)) return goBuilt;
  const onPath = findOnPath('versitygw');
  if (onPath) return onPath;
  throw new MissingBinaryError('versitygw', `neither ${goBuilt} nor versitygw on PATH`);
}

/** coturn's TURN server (Calls media relay for TURN-over-TCP impairment). */
export function findTurnserver(): string {
  const path = findOnPath('turnserver');
  if (!path) throw new MissingBinaryError('coturn', 'no turnserver on PATH or in /usr/bin');
  return path;
}

export interface BinaryStatus {
  component: NativeComponent;
  /** Set when found. */
  path?: string;
  /** Set when missing: the full message, install command included. */
  problem?: string;
}

/** One line per native component, for `mmdrill doctor`. Never throws. */
export function checkNativeBinaries(): BinaryStatus[] {
  const finders: Record<NativeComponent, () => string> = {
    postgres: () => join(postgresBinDir(), 'postgres'),
    nginx: findNginx,
    toxiproxy: findToxiproxyServer,
    versitygw: findVersityGateway,
    coturn: findTurnserver,
  };
  return (Object.keys(finders) as NativeComponent[]).map((component) => {
    try {
      return { component, path: finders[component]() };
    } catch (error) {
      return { component, problem: error instanceof Error ? error.message : String(error) };
    }
  });
}
