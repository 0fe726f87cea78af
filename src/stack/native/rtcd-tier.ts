import { join } from 'node:path';
import { LOOPBACK } from '../../common/loopback.js';
import type { LinkName, NativeEnvironment } from '../environment.js';
import type { StackComponent } from '../stack-document.js';
import { CoturnServer } from './coturn.js';
import { RtcdDouble } from './rtcd.js';

/** The Calls parts of a native stack and what every app node needs to use them. */
export interface CallsTier {
  rtcd: RtcdDouble;
  coturn: CoturnServer | null;
  /** `mm-double` flags. */
  appArgs: string[];
  /** Environment of the app nodes (the TURN credential travels here, never on argv). */
  appEnv: Record<string, string>;
}

export interface CallsTierContext {
  dir: string;
  step: <T>(component: string, run: () => Promise<T>, detail?: (value: T) => string) => Promise<T>;
  track: <T extends { stop(): Promise<unknown>; kill(): Promise<unknown>; detach(): void }>(part: T) => T;
  /** The provider's proxy factory: the address to dial for `upstreamPort`, proxied if the link is. */
  through: (name: string, link: LinkName, upstreamPort: number) => Promise<string>;
}

/**
 * Starts the Calls tier before the app nodes: the rtcd double (one process all nodes link to, as
 * the Calls plugin links to rtcd) and, with `calls.turn`, coturn behind the users-turn proxy,
 * advertised to clients as TURN over TCP.
 */
export async function startCallsTier(
  env: NativeEnvironment,
  ctx: CallsTierContext,
): Promise<CallsTier | null> {
  if (!env.calls.enabled) return null;
  const rtcd = ctx.track(new RtcdDouble({ dir: join(ctx.dir, 'rtcd') }));
  await ctx.step(
    'rtcd',
    () => rtcd.start(),
    (r) => r.url,
  );
  const appEnv: Record<string, string> = {};
  let coturn: CoturnServer | null = null;
  if (env.calls.turn) {
    const server = ctx.track(new CoturnServer({ dir: join(ctx.dir, 'coturn') }));
    coturn = await ctx.step(
      'coturn',
      () => server.start(),
      (c) => `turn:${LOOPBACK}:${c.port} (TCP and UDP)`,
    );
    const address = await ctx.through('users-turn', 'users-turn', coturn.port);
    appEnv.MM_CALLS_ICE_SERVERS_CONFIGS = JSON.stringify([coturn.iceServer(address)]);
  }
  return { rtcd, coturn, appArgs: ['--rtcd-url', rtcd.url], appEnv };
}

/** The tier's entries for the stack document (no credentials). */
export function describeCallsTier(tier: CallsTier | null): StackComponent[] {
  if (!tier) return [];
  const out: StackComponent[] = [
    { name: 'rtcd', kind: 'media-server', url: tier.rtcd.url, pid: tier.rtcd.pid, log: tier.rtcd.logFile },
  ];
  if (tier.coturn) {
    out.push({
      name: 'coturn',
      kind: 'turn',
      url: `tcp://${LOOPBACK}:${tier.coturn.port}`,
      pid: tier.coturn.pid,
      log: tier.coturn.logFile,
    });
  }
  return out;
}
