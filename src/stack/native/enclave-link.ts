import { setEgressVerdict } from './egress-guard.js';

// The whole site's route to the outside, as the enclave-disconnect fault kind cuts and restores it
// (issue 16, DDIL "denied" for the enclave, not only the users' link). On the native stack the
// outside is already unreachable (the egress guard rejects at once, the DNS sink answers with
// loopback traps); cutting the enclave off makes it look like a dead WAN instead: connections to
// outside addresses hang (the guard drops), and outside names get no answer (the sink, told by
// SIGUSR1, stays silent). Works on a detached stack too: everything needed is in its document.

export interface EnclaveHandle {
  table: string;
  sinkPid: number;
}

export function cutOffEnclave(enclave: EnclaveHandle): void {
  setEgressVerdict(enclave.table, 'drop');
  process.kill(enclave.sinkPid, 'SIGUSR1');
}

export function reconnectEnclave(enclave: EnclaveHandle): void {
  setEgressVerdict(enclave.table, 'reject');
  try {
    process.kill(enclave.sinkPid, 'SIGUSR2');
  } catch {
    // The sink is gone (stack down): nothing to tell it.
  }
}
