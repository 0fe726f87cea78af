import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { parseDuration } from '../../config/duration.js';
import { loadScenarioFile } from '../../load/scenario.js';
import { parseListenAddress } from '../../metrics/prometheus.js';
import { runScenario } from '../../run/run-scenario.js';
import { DEFAULT_STATE_DIR } from '../../stack/state.js';
import { againstRunTarget, outDirFor, printVerdict, runInFrame } from '../command-frame.js';
import { progressLine } from '../output.js';
import { applyRetention, KEEP_OPTION, parseKeep, retentionLine } from '../retention.js';

interface RunCommandOptions {
  env?: string;
  users?: string;
  duration?: string;
  out?: string;
  seed?: string;
  prometheus?: string;
  stateDir: string;
  keep?: string;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .summary('drive a scenario against the stack and judge it')
    .argument('<scenario>', 'scenario file, e.g. scenarios/messaging.yaml')
    .description(
      'Seeds the data set the scenario names, drives its scenarios (k6 executors; the Mattermost user model\n' +
        'or a fixed action loop), and judges the thresholds. Writes summary.json (schemas/summary.schema.json)\n' +
        'and timeseries.ndjson to the output directory.\n\n' +
        'The target: the stack `mmdrill stack up` left running; else --env names one (an `existing` deployment,\n' +
        'or a native/containers environment that is brought up for this run and taken down after it).\n\n' +
        'Exit codes: 0 pass, 99 thresholds failed (or the harness itself was saturated: verdict invalid),\n' +
        '2 usage or configuration error, 3 the server refused the preparation (seeding), 130 interrupted.\n\n' +
        'Examples:\n  mmdrill run scenarios/messaging.yaml\n  mmdrill run scenarios/messaging.yaml --users 50 --duration 30s --out reports/smoke',
    )
    .option('--env <file>', 'environment file (default: the running stack)')
    .option('--users <n>', 'VUs of every closed-model scenario (open-model ones keep their rate)')
    .option('--duration <d>', 'duration of every scenario, e.g. 30s, 5m (ramping stages are scaled)')
    .option('--out <dir>', 'output directory (default: reports/<time>-<scenario>)')
    .option('--seed <text>', 'seed of every random choice: the same seed repeats the same actions')
    .option('--prometheus <host:port>', 'serve the harness metrics for Prometheus while running')
    .option('--state-dir <dir>', 'state directory', DEFAULT_STATE_DIR)
    .option(...KEEP_OPTION)
    .action((file: string, options: RunCommandOptions) => runCommand(file, options));
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}

async function runCommand(file: string, options: RunCommandOptions): Promise<void> {
  await runInFrame(
    { onInterrupt: 'stopping the run (the summary will be marked partial)…' },
    async ({ signal }) => {
      const scenario = await loadScenarioFile(file);
      const overrides = {
        ...(options.users !== undefined && { users: positiveInt('--users', options.users) }),
        ...(options.duration !== undefined && { durationMs: parseFlagDuration(options.duration) }),
      };
      const prometheus = options.prometheus ? parseListenAddress(options.prometheus) : undefined;
      const outDir = outDirFor(options.out, scenario.name);
      const keep = options.keep === undefined ? undefined : parseKeep(options.keep);
      return againstRunTarget(options, outDir, signal, async (session) => {
        const result = await runScenario({
          ...session,
          scenario,
          scenarioFile: file,
          overrides,
          ...(prometheus && { prometheus }),
        });
        printVerdict(result.summary, outDir);
        if (keep) progressLine(retentionLine(await applyRetention(keep, outDir, options.stateDir)));
        return result.exitCode;
      });
    },
  );
}

function parseFlagDuration(value: string): number {
  try {
    const ms = parseDuration(value);
    if (ms <= 0) throw new Error('must be longer than 0s');
    return ms;
  } catch (err) {
    throw new UsageError(`--duration: ${(err as Error).message}`);
  }
}
