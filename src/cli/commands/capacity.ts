import type { Command } from 'commander';
import { resolveSettings } from '../../capacity/settings.js';
import { UsageError } from '../../common/exit-codes.js';
import { parseDuration } from '../../config/duration.js';
import { loadScenarioFile } from '../../load/scenario.js';
import { runCapacity } from '../../run/run-capacity.js';
import { DEFAULT_STATE_DIR } from '../../stack/state.js';
import type { Summary } from '../../summary/summary-schema.js';
import { againstRunTarget, outDirFor, printVerdict, runInFrame } from '../command-frame.js';
import { progressLine } from '../output.js';
import { applyRetention, KEEP_OPTION, parseKeep, retentionLine } from '../retention.js';

interface CapacityCommandOptions {
  env?: string;
  maxUsers?: string;
  step?: string;
  rest?: string;
  settle?: string;
  maxDuration?: string;
  targetUsers?: string;
  users?: string;
  duration?: string;
  out?: string;
  seed?: string;
  json?: boolean;
  stateDir: string;
  keep?: string;
}

export function registerCapacityCommand(program: Command): void {
  program
    .command('capacity')
    .summary('find how many users the stack supports, and the reference tier to match')
    .argument('<scenario>', 'scenario file, e.g. scenarios/capacity.yaml')
    .description(
      "Mattermost's capacity search: every second the last second is judged against the capacity criteria\n" +
        '(client 5xx and timeouts < 0.025 %, average latency < 100 ms, p99 < 2 s, app node CPU and memory\n' +
        '< 85 %, server 5xx < 0.025 %); on any breach a step of users is removed, otherwise, once the rest\n' +
        'period has passed, a step is added (up to --max-users). After the first breach the active users are\n' +
        'sampled; when their least-squares slope over the settle window is below 0.2 users/s the search stops\n' +
        'and the supported figure is their mean. The scenario file may set all of this in a `capacity:` section\n' +
        '(limits per criterion, or false to leave one out); the flags override it.\n\n' +
        'With --users N (bounded mode) N users are held for --duration and the run says whether the criteria held.\n' +
        'With --target-users T the result names the smallest published reference architecture for T users, and\n' +
        'the run fails if the stack supported fewer. If the harness itself saturates first, the result says\n' +
        '"harness-bound at N users": scale the load out instead.\n\n' +
        'Writes summary.json (its `capacity` block), timeseries.ndjson and the reports to the output directory.\n' +
        'Exit codes: 0 settled (and target met), 99 not settled, harness-bound, target missed or not held,\n' +
        '2 usage or configuration error, 3 the server refused the preparation (seeding), 130 interrupted.\n\n' +
        'Examples:\n' +
        '  mmdrill capacity scenarios/capacity.yaml --target-users 1500\n' +
        '  mmdrill capacity scenarios/capacity.yaml --step 4 --rest 1s --settle 30s --max-users 200   # a short form\n' +
        '  mmdrill capacity scenarios/capacity.yaml --users 100 --duration 2m                         # bounded',
    )
    .option('--env <file>', 'environment file (default: the running stack)')
    .option('--max-users <n>', 'never more users than this (default: the scenario, else 2000)')
    .option('--step <n>', 'users added or removed per step (default 8)')
    .option('--rest <d>', 'wait after a change before adding users (default 2s)')
    .option('--settle <d>', 'settle window (default 30m)')
    .option('--max-duration <d>', 'give up after this long (default 3h)')
    .option('--target-users <n>', 'the users you plan for: the tier recommendation and the verdict use it')
    .option('--users <n>', 'bounded mode: hold N users and say whether the criteria held')
    .option('--duration <d>', "bounded mode: how long to hold (default: the scenario's duration)")
    .option('--out <dir>', 'output directory (default: reports/<time>-capacity-<scenario>)')
    .option('--seed <text>', 'seed of every random choice')
    .option('--json', 'print the result as JSON on stdout')
    .option('--state-dir <dir>', 'state directory', DEFAULT_STATE_DIR)
    .option(...KEEP_OPTION)
    .action((file: string, options: CapacityCommandOptions) => capacityCommand(file, options));
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag}: expected a positive whole number, got "${value}"`);
  return n;
}

function duration(flag: string, value: string | undefined, { zero = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
  if (ms < 0 || (!zero && ms === 0)) throw new UsageError(`${flag}: must be longer than 0s, got "${value}"`);
  return ms;
}

function capacityCommand(file: string, options: CapacityCommandOptions): Promise<void> {
  return runInFrame(
    { onInterrupt: 'stopping the search (the result will be marked partial)…' },
    ({ signal }) => capacitySearch(file, options, signal),
  );
}

async function capacitySearch(
  file: string,
  options: CapacityCommandOptions,
  signal: AbortSignal,
): Promise<number> {
  const flags = {
    maxUsers: positiveInt('--max-users', options.maxUsers),
    step: positiveInt('--step', options.step),
    restMs: duration('--rest', options.rest, { zero: true }),
    settleMs: duration('--settle', options.settle),
    maxDurationMs: duration('--max-duration', options.maxDuration),
    targetUsers: positiveInt('--target-users', options.targetUsers),
    users: positiveInt('--users', options.users),
    holdMs: duration('--duration', options.duration),
  };
  if (flags.holdMs !== undefined && flags.users === undefined)
    throw new UsageError('--duration: only with --users (bounded mode); the search runs until it settles');
  const scenario = await loadScenarioFile(file);
  let settings: ReturnType<typeof resolveSettings>;
  try {
    settings = resolveSettings(
      scenario,
      Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    );
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const outDir = outDirFor(options.out, `capacity-${scenario.name}`);
  const keep = options.keep === undefined ? undefined : parseKeep(options.keep);
  return againstRunTarget(options, outDir, signal, async (session) => {
    const result = await runCapacity({ ...session, scenario, scenarioFile: file, settings });
    const capacity = result.summary.capacity!;
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ verdict: result.summary.verdict, reason: result.summary.reason, outDir, capacity }, null, 2)}\n`,
      );
    } else {
      progressLine(resultLine(capacity));
      progressLine(capacity.recommendation.text);
    }
    printVerdict(result.summary, outDir);
    if (keep) progressLine(retentionLine(await applyRetention(keep, outDir, options.stateDir)));
    return result.exitCode;
  });
}

function resultLine(c: NonNullable<Summary['capacity']>): string {
  if (c.harnessBound) return `harness-bound at ${c.harnessBound.users} users: ${c.harnessBound.reason}`;
  const limit = c.limitingCriterion ? ` (limiting criterion: ${c.limitingCriterion})` : '';
  switch (c.outcome) {
    case 'settled':
      return `supported users: ${c.supportedUsers} (settled; slope ${c.settle.slope} users/s)${limit}`;
    case 'max-users':
      return `supported users: at least ${c.supportedUsers} (the maximum, never breached)`;
    case 'held':
      return `${c.settings.users} users held every criterion`;
    case 'not-held':
      return `${c.settings.users} users did not hold the criteria${limit}`;
    default:
      return `no supported figure: ${c.outcome}${c.supportedUsers === null ? '' : ` (mean so far ${c.supportedUsers})`}${limit}`;
  }
}
