import { ExitCode } from '../common/exit-codes.js';
import type { HarnessReport } from '../metrics/harness-monitor.js';
import type { Verdict } from '../summary/summary-schema.js';
import type { ThresholdResult } from './thresholds.js';

// The verdict of a run and the exit code it maps to, in one place for every command (run, drill,
// capacity, report --from-k6). The rule: acknowledged posts lost fail the run whatever else
// happened (the read-back after the load does not depend on the harness's speed, so a saturated
// harness cannot explain it away); otherwise invalid if the harness saturated (the run says so
// rather than blaming the server), else fail if any threshold (or other check) failed, else pass.

export function decideVerdict(
  thresholds: readonly ThresholdResult[],
  harness: Pick<HarnessReport, 'saturated' | 'reason'>,
  otherFailures: readonly string[] = [],
  otherChecks: { faults: number; audits: boolean; postsLost?: string } = { faults: 0, audits: false },
): { verdict: Verdict; reason: string } {
  if (harness.saturated && otherChecks.postsLost !== undefined) {
    return {
      verdict: 'fail',
      reason: `${otherChecks.postsLost}; the harness was also saturated (${harness.reason ?? 'no reason given'}), so the other figures do not measure the server`,
    };
  }
  if (harness.saturated) {
    return {
      verdict: 'invalid',
      reason: `the harness was saturated (${harness.reason ?? 'no reason given'}): the results do not measure the server; rerun with fewer users per harness or a bigger machine`,
    };
  }
  const failed = thresholds.filter((t) => !t.ok);
  if (failed.length > 0 || otherFailures.length > 0) {
    const parts = failed.map((t) => `${t.metric} ${t.expression} (got ${t.value})`).concat(otherFailures);
    return { verdict: 'fail', reason: `${parts.length} check(s) failed: ${parts.join('; ')}` };
  }
  const passed = [`all ${thresholds.length} threshold(s) passed`];
  if (otherChecks.faults > 0) passed.push(`${otherChecks.faults} fault(s) survived`);
  if (otherChecks.audits) passed.push('audits clean');
  return { verdict: 'pass', reason: passed.join('; ') };
}

/**
 * pass → 0; fail → 99 (k6's thresholds-failed code); invalid → 99 as well: a run whose harness
 * saturated must not let a CI job pass, and the DESIGN's exit codes stay k6's. Scripts that need
 * to tell the two apart read `verdict` in summary.json; the console line says which it was.
 */
export function exitCodeFor(verdict: Verdict): number {
  return verdict === 'pass' ? ExitCode.ok : ExitCode.thresholdsFailed;
}
