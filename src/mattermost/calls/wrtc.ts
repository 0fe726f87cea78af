// The native module @roamhq/wrtc, loaded on first use: runs without Calls never pay for it. Its
// types are declared once for the harness and the double in types/roamhq-wrtc.d.ts.
import { createRequire } from 'node:module';

let loaded: typeof import('@roamhq/wrtc') | undefined;

/** The native module, loaded on first use (runs without Calls never pay for it). */
export function wrtc(): typeof import('@roamhq/wrtc') {
  if (loaded === undefined) {
    loaded = createRequire(import.meta.url)('@roamhq/wrtc') as typeof import('@roamhq/wrtc');
    // A natural exit frees the environment and runs wrtc's finalizers, which crash (SIGSEGV:
    // "Check failed: node->IsInUse()") and lose the exit code; an explicit exit skips that.
    process.once('exit', (code) => process.exit(code));
  }
  return loaded;
}
