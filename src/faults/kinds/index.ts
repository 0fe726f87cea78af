import type { FaultKind, KindEntryBase } from '../kind.js';
import { bandwidth } from './bandwidth.js';
import { dbFailover } from './db-failover.js';
import { enclaveDisconnect } from './enclave-disconnect.js';
import { freeze } from './freeze.js';
import { kill } from './kill.js';
import { latency } from './latency.js';
import { limitData } from './limit-data.js';
import { objectStoreOutage } from './object-store-outage.js';
import { partition } from './partition.js';
import { resetPeer } from './reset-peer.js';
import { restart } from './restart.js';
import { slicer } from './slicer.js';
import { timeout } from './timeout.js';

// Every fault kind by the name plans use. A new kind: its file here, and one line below.

export const FAULT_KINDS = {
  latency,
  bandwidth,
  timeout,
  reset_peer: resetPeer,
  slicer,
  limit_data: limitData,
  partition,
  kill,
  freeze,
  restart,
  'db-failover': dbFailover,
  'object-store-outage': objectStoreOutage,
  'enclave-disconnect': enclaveDisconnect,
} as const satisfies Record<string, FaultKind<never>>;

/** A fault kind's name, as plans write it in `kind:`. */
export type FaultKindName = keyof typeof FAULT_KINDS;

/** Every fault kind's name, in the order above. */
export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKindName[];

/** The kind by name, typed for the generic code that drives any kind. */
export function faultKind(name: FaultKindName): FaultKind<KindEntryBase> {
  return FAULT_KINDS[name] as unknown as FaultKind<KindEntryBase>;
}

/** Kinds that act on a link only (the ones a DDIL profile may use). */
export const LINK_KIND_NAMES = FAULT_KIND_NAMES.filter((name) => FAULT_KINDS[name].targets === 'link');
