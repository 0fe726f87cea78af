import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadDrillFile } from '../../drill/drill-file.js';
import { runDrill } from '../../run/run-drill.js';
import { DEFAULT_STATE_DIR } from '../../stack/state.js';
import { outDirFor, printVerdict, runInFrame } from '../command-frame.js';
import { colour, progressLine } from '../output.js';
import { applyRetention, KEEP_OPTION, parseKeep, retentionLine } from '../retention.js';

interface DrillCommandOptions {
  short?: boolean;
  env?: string;
  out?: string;
  stateDir: string;
  keep?: string;
}

export function registerDrillCommand(program: Command): void {
  program
    .command('drill')
    .summary('bring a stack up, load it, break it on schedule, judge it, take it down')
    .argument('<drill>', 'drill file, e.g. drills/app-node-kill.yaml')
    .description(
      'Runs a drill: brings up the environment the drill names, seeds it, drives the scenario while the\n' +
        'fault plan breaks things on schedule, then judges every fault (time to first error, recovery time,\n' +
        'errors in the window, error budget) and audits the run (every acknowledged post read back; every\n' +
        'online member saw every post), writes summary.json and timeseries.ndjson, and takes the stack down —\n' +
        'also after an error or Ctrl-C, and every fault is removed first.\n\n' +
        'Exit codes: 0 pass, 99 a fault, audit or threshold failed, 2 usage or configuration error,\n' +
        '3 the server refused the preparation (seeding), 130 interrupted.\n\n' +
        'Examples:\n  mmdrill drill drills/app-node-kill.yaml\n  mmdrill drill drills/db-failover.yaml --short --out reports/db-failover\n' +
        '  mmdrill drill drills/app-node-kill.yaml --short --env environments/containers-local.yaml',
    )
    .option('--short', "run the drill's short form (what CI runs)")
    .option('--env <file>', 'run against this environment file instead of the one the drill names')
    .option('--out <dir>', 'output directory (default: reports/<time>-<drill>)')
    .option('--state-dir <dir>', 'state directory (secrets, seed credentials)', DEFAULT_STATE_DIR)
    .option(...KEEP_OPTION)
    .action((file: string, options: DrillCommandOptions) => drillCommand(file, options));
}

function drillCommand(file: string, options: DrillCommandOptions): Promise<void> {
  return runInFrame(
    { onInterrupt: 'removing faults, stopping the load and taking the stack down…' },
    async ({ signal }) => {
      const loaded = await loadDrillFile(file);
      const drill = options.env ? { ...loaded, environmentPath: resolve(options.env) } : loaded;
      const outDir = outDirFor(options.out, drill.name);
      const keep = options.keep === undefined ? undefined : parseKeep(options.keep);
      const result = await runDrill({
        drill,
        ...(options.short && { short: true }),
        outDir,
        stateDir: options.stateDir,
        argv: process.argv.slice(1),
        signal,
        log: progressLine,
      });
      for (const fault of result.summary.faults ?? []) {
        const recovery =
          fault.recoveryMs === null
            ? 'not recovered'
            : `recovered in ${(fault.recoveryMs / 1000).toFixed(1)} s`;
        const line = `  ${fault.ok ? '✓' : '✗'} ${fault.name} (${fault.kind} on ${fault.target}): ${fault.errorsInWindow} error(s) in the window, ${recovery}`;
        progressLine(fault.ok ? colour.ok(line) : colour.bad(line));
      }
      const audits = result.summary.audits;
      if (audits) {
        const line = `  ${audits.ok ? '✓' : '✗'} audits: ${audits.lostPosts} of ${audits.acknowledgedPosts} acknowledged posts lost, ${audits.missedDeliveries} of ${audits.expectedDeliveries} deliveries missed`;
        progressLine(audits.ok ? colour.ok(line) : colour.bad(line));
      }
      printVerdict(result.summary, outDir);
      if (keep) progressLine(retentionLine(await applyRetention(keep, outDir, options.stateDir)));
      return result.exitCode;
    },
  );
}
