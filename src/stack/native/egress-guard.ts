import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { EgressAttempt } from './egress-sink.js';

// The kernel half of the egress watch (issue 16): an nftables table of this stack that rejects,
// on the output hook, every packet an app node sends to a non-loopback address, and remembers
// (uid, address, port) of each in a dynamic set. Each app node runs under a uid of its own, so a
// rule per stack, keyed by uid, needs no cgroup and no namespace, and harness↔stack traffic stays
// on 127.0.0.1. A connect() to an outside address fails at once (EHOSTUNREACH, EPERM for UDP);
// nothing leaves loopback. Measured on Debian 12 with nftables 1.0.6 (docs/egress.md). The
// enclave-disconnect fault flips the verdict from reject to drop: a dead WAN, connects hang.

/** The set keeps an entry a day; its expiry tells when it was added. */
const SET_TIMEOUT_S = 86_400;

export interface EgressGuardSpec {
  table: string;
  uids: readonly number[];
}

/** Debian puts nft in /usr/sbin, which a non-login PATH may lack. */
const NFT = existsSync('/usr/sbin/nft') ? '/usr/sbin/nft' : 'nft';

function nft(args: readonly string[], input?: string): string {
  return execFileSync(NFT, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Throws a clear error when the guard cannot be installed here (not root, no nft). */
export function assertEgressGuardPossible(): void {
  if (process.getuid?.() !== 0)
    throw new Error('egressWatch needs root: app nodes run under their own uids behind an nftables rule');
  try {
    nft(['--version']);
  } catch {
    throw new Error('egressWatch needs nftables (`apt-get install nftables`, or `npm run setup`)');
  }
}

export function installEgressGuard(spec: EgressGuardSpec): void {
  const uids = spec.uids.join(', ');
  removeEgressGuard(spec.table);
  nft(
    ['-f', '-'],
    `table inet ${spec.table} {
  set blocked4 { type uid . ipv4_addr . inet_service; flags dynamic,timeout; timeout ${SET_TIMEOUT_S}s; }
  set blocked6 { type uid . ipv6_addr . inet_service; flags dynamic,timeout; timeout ${SET_TIMEOUT_S}s; }
  chain deny { reject with icmpx admin-prohibited; }
  chain output {
    type filter hook output priority 0; policy accept;
    meta skuid { ${uids} } ip daddr != 127.0.0.0/8 add @blocked4 { meta skuid . ip daddr . th dport } counter jump deny
    meta skuid { ${uids} } ip6 daddr != ::1 add @blocked6 { meta skuid . ip6 daddr . th dport } counter jump deny
  }
}
`,
  );
}

/** Is the table in force? (A test asserts it before provoking an attempt.) */
export function egressGuardInstalled(table: string): boolean {
  try {
    return nft(['list', 'chain', 'inet', table, 'output']).includes('jump deny');
  } catch {
    return false;
  }
}

/** reject: connects fail at once; drop: they hang, as over a dead WAN. */
export function setEgressVerdict(table: string, verdict: 'reject' | 'drop'): void {
  nft(['flush', 'chain', 'inet', table, 'deny']);
  nft([
    'add',
    'rule',
    'inet',
    table,
    'deny',
    ...(verdict === 'drop' ? ['drop'] : ['reject', 'with', 'icmpx', 'admin-prohibited']),
  ]);
}

export function removeEgressGuard(table: string): void {
  try {
    nft(['delete', 'table', 'inet', table]);
  } catch {
    // Not there: nothing to remove.
  }
}

interface NftElem {
  elem?: { val: { concat: [number | string, string, number] }; expires?: number };
}

/** The attempts the guard blocked, with the time each was first seen (1 s resolution). */
export function blockedAttempts(table: string, components: ReadonlyMap<number, string>): EgressAttempt[] {
  const out: EgressAttempt[] = [];
  const now = Date.now();
  for (const set of ['blocked4', 'blocked6']) {
    let parsed: { nftables: { set?: { elem?: NftElem[] } }[] };
    try {
      parsed = JSON.parse(nft(['-j', 'list', 'set', 'inet', table, set]));
    } catch {
      continue;
    }
    for (const entry of parsed.nftables) {
      for (const e of entry.set?.elem ?? []) {
        if (!e.elem) continue;
        const [uid, address, port] = e.elem.val.concat;
        const age = SET_TIMEOUT_S - (e.elem.expires ?? SET_TIMEOUT_S);
        out.push({
          at: new Date(now - age * 1000).toISOString(),
          kind: 'blocked-connection',
          component: components.get(Number(uid)) ?? `uid ${uid}`,
          address,
          port,
        });
      }
    }
  }
  return out;
}
