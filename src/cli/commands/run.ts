import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { parseDuration } from '../../config/duration.js';
import { runScenario } from '../../load/run.js';
import { loadScenarioFile } from '../../load/scenario.js';
import { parseListenAddress } from '../../metrics/prometheus.js';
import { verdictLine } from '../../report/summary.js';
import { loadEnvironmentFile } from '../../stack/environment-file.js';
import { createRunDir } from '../../stack/native/run-dir.js';
import type { RunningStack } from '../../stack/provider.js';
import { providerFor } from '../../stack/providers.js';
import type { StackDocument } from '../../stack/stack-document.js';
import { DEFAULT_STATE_DIR, readState, resolveAdminPassword } from '../../stack/state.js';
import { defaultEnvironmentFile } from '../defaults.js';
import { interruptOnSignals } from '../interrupt.js';
import { colour, progressLine } from '../output.js';
import { applyRetention, KEEP_OPTION, type Keep, parseKeep, retentionLine } from '../retention.js';

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

function runId(name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name}`;
}

async function runCommand(file: string, options: RunCommandOptions): Promise<void> {
  const scenario = await loadScenarioFile(file);
  const overrides = {
    ...(options.users !== undefined && { users: positiveInt('--users', options.users) }),
    ...(options.duration !== undefined && { durationMs: parseFlagDuration(options.duration) }),
  };
  const prometheus = options.prometheus ? parseListenAddress(options.prometheus) : undefined;
  const outDir = resolve(options.out ?? `reports/${runId(scenario.name)}`);
  const keep: Keep | undefined = options.keep === undefined ? undefined : parseKeep(options.keep);

  const interrupt = interruptOnSignals('stopping the run (the summary will be marked partial)…');
  const target = await resolveTarget(options);
  try {
    const result = await runScenario({
      scenario,
      scenarioFile: file,
      stack: target.document,
      adminPassword: target.adminPassword,
      stateDir: options.stateDir,
      outDir,
      overrides,
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(prometheus && { prometheus }),
      signal: interrupt.signal,
      argv: process.argv.slice(1),
      log: progressLine,
    });
    const line = verdictLine(result.summary);
    progressLine(result.summary.verdict === 'pass' ? colour.ok(line) : colour.bad(line));
    progressLine(`summary: ${resolve(outDir, 'summary.json')}`);
    if (keep) progressLine(retentionLine(await applyRetention(keep, outDir, options.stateDir)));
    process.exitCode = interrupt.signal.aborted ? 130 : result.exitCode;
  } finally {
    interrupt.release();
    if (target.started) {
      progressLine('taking down the stack started for this run…');
      await target.started.down();
    }
  }
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

/** The running stack, an `existing` deployment, or a stack brought up for this run only. */
export async function resolveTarget(
  options: Pick<RunCommandOptions, 'env' | 'stateDir'>,
): Promise<{ document: StackDocument; adminPassword: string; started?: RunningStack }> {
  const state = await readState(options.stateDir);
  const generate = () => randomBytes(18).toString('base64url');
  if (state && options.env === undefined) {
    const { password } = await resolveAdminPassword(
      state.document.admin.passwordEnv,
      options.stateDir,
      generate,
    );
    return { document: state.document, adminPassword: password };
  }
  const envFile = options.env ?? defaultEnvironmentFile();
  // Ports held by a running stack are not "in use" by a stranger.
  const env = await loadEnvironmentFile(envFile, { checkPorts: state === null });
  if (state && state.document.name === env.name) {
    const { password } = await resolveAdminPassword(
      state.document.admin.passwordEnv,
      options.stateDir,
      generate,
    );
    return { document: state.document, adminPassword: password };
  }
  const { password } = await resolveAdminPassword(env.admin.passwordEnv, options.stateDir, generate);
  const provider = await providerFor(env.provider);
  if (env.provider !== 'existing')
    progressLine(`no running stack: bringing up ${env.name} (${env.provider}) for this run`);
  const runDir = await createRunDir(`stack-${env.name}-`, resolve(options.stateDir));
  const running = await provider.up(env, {
    runDir,
    adminPassword: password,
    progress: (e) => e.phase === 'ready' && progressLine(`  ✓ ${e.component}`),
  });
  return {
    document: running.document,
    adminPassword: password,
    ...(env.provider !== 'existing' && { started: running }),
  };
}
