import { resolve } from 'node:path';
import { ExitCode } from '../common/exit-codes.js';
import { verdictLine } from '../report/summary.js';
import { resolveRunTarget } from '../run/run-target.js';
import type { SessionOptions } from '../run/session.js';
import { stopStackProcessesNow } from '../stack/providers.js';
import type { Summary } from '../summary/summary-schema.js';
import { defaultEnvironmentFile } from './defaults.js';
import { armEarlyInterrupt } from './early-interrupt.js';
import { colour, progressLine } from './output.js';

// The frame every long command (`run`, `capacity`, `drill`, `seed`, `stack up`) runs in, so that
// interrupts, run ids, the verdict line and exit codes are handled once. SIGINT or SIGTERM at
// any moment aborts the frame's signal and the command winds down (faults removed, load stopped,
// stacks it started taken down); whatever it then returns or throws, the process prints
// "interrupted" and exits 130 — never "internal error" and 1. A second signal does not wait:
// the managed processes are killed and the exit hooks (faults, processes) run on the way out.

export interface CommandFrame {
  /** Aborted by the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

export interface FrameOptions {
  /** What the command does when interrupted, printed as the signal is heard. */
  onInterrupt: string;
  /** Printed after the interrupted command has wound down (default: "mmdrill: interrupted"). */
  interruptedLine?: string;
}

/** Runs `body` in the frame; its result is the exit code (default 0). */
export async function runInFrame(
  options: FrameOptions,
  body: (frame: CommandFrame) => Promise<number | undefined>,
): Promise<void> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      progressLine(`${signal} again: stopping now`);
      stopStackProcessesNow();
      process.exit(ExitCode.interrupted);
    }
    progressLine(`${signal}: ${options.onInterrupt}`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number | undefined;
  try {
    code = await body({ signal: controller.signal });
  } catch (err) {
    // Whatever an interrupted step threw (an AbortError, a closed socket) is the interrupt.
    if (!controller.signal.aborted) throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    armEarlyInterrupt();
  }
  if (controller.signal.aborted) {
    progressLine(options.interruptedLine ?? 'mmdrill: interrupted');
    process.exitCode = ExitCode.interrupted;
    return;
  }
  process.exitCode = code ?? ExitCode.ok;
}

/** `20261204-153012-<name>`: the run id, and the default output directory's name. */
export function runId(name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}`;
}

/** `--out`, else reports/<run id>, as an absolute path. */
export function outDirFor(out: string | undefined, name: string): string {
  return resolve(out ?? `reports/${runId(name)}`);
}

/** The closing lines of a run: the verdict and where its summary is. */
export function printVerdict(summary: Pick<Summary, 'verdict' | 'reason'>, outDir: string): void {
  const line = verdictLine(summary);
  progressLine(summary.verdict === 'pass' ? colour.ok(line) : colour.bad(line));
  progressLine(`summary: ${resolve(outDir, 'summary.json')}`);
}

/**
 * Runs `body` against the target of `run` and `capacity` (the running stack, or what `--env`
 * names) with the session options every run takes; a stack brought up for this run only goes
 * down after it, also when interrupted.
 */
export async function againstRunTarget<T>(
  options: { env?: string; stateDir: string; seed?: string },
  outDir: string,
  signal: AbortSignal,
  body: (session: SessionOptions) => Promise<T>,
): Promise<T> {
  const target = await resolveRunTarget({
    ...options,
    defaultEnvFile: defaultEnvironmentFile(),
    signal,
    log: progressLine,
  });
  try {
    return await body({
      stack: target.document,
      adminPassword: target.adminPassword,
      stateDir: options.stateDir,
      outDir,
      ...(options.seed !== undefined && { seed: options.seed }),
      signal,
      argv: process.argv.slice(1),
      log: progressLine,
    });
  } finally {
    if (target.started) {
      progressLine('taking down the stack started for this run…');
      await target.started.down();
    }
  }
}
