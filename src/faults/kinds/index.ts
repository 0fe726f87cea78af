import type { FaultKind } from '../kind.js';
import type { FaultEntryBase, FaultKindName } from '../types.js';
import { bandwidth } from './bandwidth.js';
import { dbFailover } from './db-failover.js';
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
} as const satisfies Record<FaultKindName, FaultKind<never>>;

/** The kind by name, typed for the generic code that drives any kind. */
export function faultKind(name: FaultKindName): FaultKind<FaultEntryBase> {
  return FAULT_KINDS[name] as unknown as FaultKind<FaultEntryBase>;
}

/** Kinds that act on a link only (the ones a DDIL profile may use). */
export const LINK_KIND_NAMES = (Object.keys(FAULT_KINDS) as FaultKindName[]).filter(
  (name) => FAULT_KINDS[name].targets === 'link',
);
