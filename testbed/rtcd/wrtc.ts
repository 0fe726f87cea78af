// Access to @roamhq/wrtc (libwebrtc for Node) for the rtcd double, loaded through createRequire
// on first use (it is a large shared library). Its types are declared once for the harness and
// the double in types/roamhq-wrtc.d.ts.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The loaded native module (loaded on first use: it is a large shared library). */
let loaded: typeof import('@roamhq/wrtc') | null = null;
export function wrtc(): typeof import('@roamhq/wrtc') {
  loaded ??= require('@roamhq/wrtc') as typeof import('@roamhq/wrtc');
  return loaded;
}

/** The address inside an ICE candidate line (`candidate:… <proto> <prio> <address> <port> typ …`). */
export function candidateAddress(candidate: string): string {
  return candidate.split(' ')[4] ?? '';
}
