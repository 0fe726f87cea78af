import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { credentialsFile } from '../../seed/credentials.js';
import { asPreparationFailure } from '../../seed/seed-for-run.js';
import { seed } from '../../seed/seeder.js';
import { resolveShape } from '../../seed/shape.js';
import { resolveSeedTarget } from '../../seed/target.js';
import { DEFAULT_STATE_DIR } from '../../stack/state.js';
import { runInFrame } from '../command-frame.js';
import { progressLine, seconds } from '../output.js';

interface SeedCommandOptions {
  env?: string;
  shape: string;
  json?: boolean;
  stateDir: string;
  concurrency: string;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .summary('create teams, channels, users and history posts for the simulated users')
    .description(
      'Creates a data set through the API: teams, public and private channels, users, their team and\n' +
        'channel memberships, and history posts (some of them replies). Idempotent: a second run finds\n' +
        'what exists by name and creates only what is missing. The accounts and their generated password\n' +
        'go to <state-dir>/seed-<shape>.json (mode 0600), where `mmdrill run` finds them; they are never\n' +
        'printed. Targets the stack `mmdrill stack up` left running, or the URL of an `existing`\n' +
        'environment given with --env.\n\n' +
        'Shapes: small (1 team, 10 channels, 100 users, 1,000 posts), medium (2 teams, 50 channels,\n' +
        '1,000 users, 10,000 posts), or a YAML shape file.\n\n' +
        'Exit codes: 0 seeded, 2 usage or configuration error (wrong admin password included), 3 the server\n' +
        'refused or failed a request after retries (the line names request, status, message and who answered),\n' +
        '130 interrupted.\n\n' +
        'Examples:\n  mmdrill seed --shape small\n  mmdrill seed --env environments/staging.yaml --shape shapes/large.yaml --json',
    )
    .requiredOption('--shape <small|medium|file>', 'the data set to create')
    .option('--env <file>', 'environment file (default: the running stack from the state directory)')
    .option('--json', 'print a summary as JSON on stdout; progress goes to stderr')
    .option(
      '--state-dir <dir>',
      'state directory (stack state, secrets, seed credentials)',
      DEFAULT_STATE_DIR,
    )
    .option('--concurrency <n>', 'requests in flight at once', '8')
    .action((options: SeedCommandOptions) => seedCommand(options));
}

async function seedCommand(options: SeedCommandOptions): Promise<void> {
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new UsageError(`--concurrency: expected an integer from 1 to 256, got "${options.concurrency}"`);
  }
  await runInFrame(
    {
      onInterrupt: 'stopping the seed…',
      interruptedLine: 'seed interrupted; run it again to finish (it fills only what is missing)',
    },
    async ({ signal }) => {
      const shape = await resolveShape(options.shape);
      const target = await resolveSeedTarget(options.env, options.stateDir);
      const path = credentialsFile(shape.name, options.stateDir);
      progressLine(`mmdrill seed: shape ${shape.name} → ${target.url}`);
      const report = await seed({
        target,
        shape,
        credentialsPath: path,
        concurrency,
        progress: progressLine,
        signal,
      }).catch((err: unknown) => {
        // An interrupt is the frame's; any other failure is a preparation failure.
        if (signal.aborted) throw err;
        throw asPreparationFailure(err, `seeding data set "${shape.name}" on ${target.url}`);
      });
      progressLine(`seeded in ${seconds(report.durationMs)}; credentials in ${path}`);
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return undefined;
    },
  );
}
