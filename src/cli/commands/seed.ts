import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { bulkSeed } from '../../seed/bulk/bulk-seeder.js';
import { writeShapeImport } from '../../seed/bulk/write-import.js';
import { credentialsFile } from '../../seed/credentials.js';
import { asPreparationFailure } from '../../seed/seed-for-run.js';
import { seed } from '../../seed/seeder.js';
import { defaultSeedMethod, resolveShape } from '../../seed/shape.js';
import { resolveSeedTarget } from '../../seed/target.js';
import { DEFAULT_STATE_DIR } from '../../stack/state.js';
import { runInFrame } from '../command-frame.js';
import { progressLine, seconds } from '../output.js';

interface SeedCommandOptions {
  env?: string;
  shape?: string;
  size?: string;
  method?: string;
  writeImport?: string;
  importFile?: string;
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
        '1,000 users, 10,000 posts), large (2 teams, 500 channels, 10,000 users, 1,000,000 posts),\n' +
        'xl (4 teams, 2,000 channels, 50,000 users, 5,000,000 posts), or a YAML shape file.\n\n' +
        'Methods: api (every object through the REST API, as users would) or bulk (one Mattermost\n' +
        'bulk-import archive uploaded and run as an import_process job, then read back): bulk is the\n' +
        'default above medium. --write-import FILE writes the archive (.zip, or .jsonl) without\n' +
        'importing, for `mmctl import upload`; --import-file FILE imports an archive written earlier.\n\n' +
        'Exit codes: 0 seeded, 2 usage or configuration error (wrong admin password, an import line the\n' +
        'server rejected: line and field named, nothing imported), 3 the server\n' +
        'refused or failed a request after retries (the line names request, status, message and who answered),\n' +
        '130 interrupted.\n\n' +
        'Examples:\n  mmdrill seed --shape small\n  mmdrill seed --size large\n  mmdrill seed --size medium --write-import medium.zip\n' +
        '  mmdrill seed --env environments/staging.yaml --shape shapes/large.yaml --json',
    )
    .option('--shape <small|medium|large|xl|file>', 'the data set to create')
    .option('--size <small|medium|large|xl>', 'a built-in data set (the same as --shape with its name)')
    .option('--method <bulk|api>', 'how to create it (default: api for small, bulk above)')
    .option('--write-import <file>', 'write the bulk-import archive (.zip or .jsonl) and stop')
    .option('--import-file <file>', 'import this archive (for the shape named by --shape/--size)')
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
  if (options.shape !== undefined && options.size !== undefined)
    throw new UsageError('--shape and --size name the same thing: give one');
  const shapeName = options.shape ?? options.size;
  if (shapeName === undefined) throw new UsageError('--shape or --size is required (e.g. --size small)');
  if (options.size !== undefined && !['small', 'medium', 'large', 'xl'].includes(options.size))
    throw new UsageError(`--size: expected small, medium, large or xl, got "${options.size}"`);
  if (options.method !== undefined && options.method !== 'bulk' && options.method !== 'api')
    throw new UsageError(`--method: expected bulk or api, got "${options.method}"`);
  if (options.importFile !== undefined && options.method === 'api')
    throw new UsageError('--import-file imports an archive: it needs --method bulk');
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
      const shape = await resolveShape(shapeName);
      const path = credentialsFile(shape.name, options.stateDir);
      if (options.writeImport !== undefined) {
        const written = await writeShapeImport(shape, options.writeImport, path);
        progressLine(
          `wrote ${written.path}: ${written.lines} lines (${(written.fileBytes / 1e6).toFixed(1)} MB); passwords in ${path}`,
        );
        if (options.json) process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
        return undefined;
      }
      const target = await resolveSeedTarget(options.env, options.stateDir);
      const method = options.method ?? (options.importFile !== undefined ? 'bulk' : defaultSeedMethod(shape));
      progressLine(`mmdrill seed: shape ${shape.name} → ${target.url} (${method})`);
      if (method === 'bulk') {
        const report = await bulkSeed({
          target,
          shape,
          credentialsPath: path,
          ...(options.importFile !== undefined && { archive: options.importFile }),
          progress: progressLine,
          signal,
        }).catch((err: unknown) => {
          if (signal.aborted) throw err;
          throw asPreparationFailure(err, `importing data set "${shape.name}" on ${target.url}`);
        });
        progressLine(
          report.unchanged
            ? `data set already complete (checked in ${seconds(report.durationMs)}); credentials in ${path}`
            : `seeded in ${seconds(report.durationMs)} (import ${seconds(report.importMs)}); credentials in ${path}`,
        );
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return undefined;
      }
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
