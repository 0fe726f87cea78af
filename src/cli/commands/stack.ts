import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../common/exit-codes.js';
import { loadEnvironmentFile } from '../../stack/environment-file.js';
import { createRunDir } from '../../stack/native/run-dir.js';
import { providerFor } from '../../stack/providers.js';
import type { StackDocument } from '../../stack/stack-document.js';
import {
  DEFAULT_STATE_DIR,
  readState,
  removeState,
  requireState,
  resolveAdminPassword,
  secretsFile,
  stateFile,
  writeState,
} from '../../stack/state.js';
import { runInFrame } from '../command-frame.js';
import { defaultEnvironmentFile } from '../defaults.js';
import { colour, progressLine, seconds, table } from '../output.js';

interface StackOptions {
  env?: string;
  json?: boolean;
  stateDir: string;
}

export function registerStackCommands(program: Command): void {
  const stack = program
    .command('stack')
    .summary('bring the stack under test up, show it, take it down')
    .description('Bring the stack an environment file describes up, show its state, and take it down.');

  stack
    .command('up')
    .summary('start every component, wait for health, record the stack')
    .description(
      'Starts every component of the environment in dependency order, waits for each to be healthy,\n' +
        'creates the admin account, prints where everything is and records it in the state directory.\n' +
        'The stack keeps running after the command exits; `mmdrill stack down` stops it.\n' +
        'Ctrl-C (SIGINT) or SIGTERM during `up` stops whatever was already started.\n\n' +
        'Examples:\n  mmdrill stack up\n  mmdrill stack up --env environments/native.yaml --json > stack.json',
    )
    .option('--env <file>', 'environment file', defaultEnvironmentFile())
    .option(
      '--json',
      'print the stack document (schemas/stack.schema.json) on stdout; progress goes to stderr',
    )
    .option('--state-dir <dir>', 'where the state file and generated secrets live', DEFAULT_STATE_DIR)
    .action((options: StackOptions) => stackUp(options));

  stack
    .command('status')
    .summary('show each component and whether it answers')
    .description(
      'Shows each component of the running stack, whether its process is running or frozen, and\nwhether it answers. Exit code 0 when everything is healthy, 99 otherwise, 2 when no stack is up.',
    )
    .option('--json', 'machine-readable output')
    .option('--state-dir <dir>', 'state directory', DEFAULT_STATE_DIR)
    .action((options: StackOptions) => stackStatus(options));

  stack
    .command('down')
    .summary('stop everything the stack started and remove its data')
    .description(
      'Stops every component `stack up` started (databases with a fast shutdown), removes their data and the\nstate file. Logs stay in the run directory.',
    )
    .option('--state-dir <dir>', 'state directory', DEFAULT_STATE_DIR)
    .action((options: StackOptions) => stackDown(options));
}

function stackUp(options: StackOptions): Promise<void> {
  return runInFrame(
    {
      onInterrupt: 'stopping what was started…',
      interruptedLine: 'stack up interrupted; everything it had started was stopped',
    },
    ({ signal }) => bringUp(options, signal),
  );
}

async function bringUp(options: StackOptions, signal: AbortSignal): Promise<undefined> {
  const stateDir = options.stateDir;
  const previous = await readState(stateDir);
  if (previous) {
    if ((await providerFor(previous.document.provider)).stillRunning(previous)) {
      throw new UsageError(
        `a stack is already up (${stateFile(stateDir)}); run \`mmdrill stack down\` first`,
      );
    }
    await removeState(stateDir);
  }
  const envFile = options.env ?? defaultEnvironmentFile();
  const env = await loadEnvironmentFile(envFile);
  const admin = await resolveAdminPassword(env.admin.passwordEnv, stateDir, () =>
    randomBytes(18).toString('base64url'),
  );
  const runDir = await createRunDir(`stack-${env.name}-`, resolve(stateDir));
  const provider = await providerFor(env.provider);
  progressLine(`mmdrill stack up: ${env.name} (${env.provider}) from ${envFile}; run directory ${runDir}`);
  const t0 = Date.now();
  const running = await provider.up(env, {
    runDir,
    adminPassword: admin.password,
    signal,
    progress: (event) => {
      if (event.phase === 'ready') {
        progressLine(
          `  ${colour.ok('✓')} ${event.component.padEnd(18)} ${seconds(event.ms ?? 0).padStart(7)}  ${event.detail ?? ''}`,
        );
      }
    },
  });
  // Recorded before it is let go, so that `stack down` can always find what keeps running.
  if (!signal.aborted)
    await writeState({ document: running.document, dataDirs: running.dataDirs ?? {} }, stateDir);
  // Interrupted as the last component came up or as it was recorded: the stack is not kept.
  if (signal.aborted) {
    await running.down();
    await removeState(stateDir);
    return undefined;
  }
  running.detach();
  progressLine(`stack up in ${seconds(Date.now() - t0)}; state in ${stateFile(stateDir)}`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(running.document, null, 2)}\n`);
  } else {
    printDocument(
      running.document,
      admin.source === 'environment'
        ? `$${env.admin.passwordEnv}`
        : `${env.admin.passwordEnv} in ${secretsFile(stateDir)}`,
    );
  }
  return undefined;
}

function printDocument(doc: StackDocument, passwordFrom: string): void {
  const rows = doc.components.map((c) => [
    c.name,
    c.kind,
    c.url ?? '',
    c.pid ? String(c.pid) : (c.containerId?.slice(0, 12) ?? ''),
    c.log ?? '',
  ]);
  const lines = [
    '',
    table(['component', 'kind', 'url', 'pid', 'log'], rows),
    '',
    `users' URL   ${colour.bold(doc.url)}`,
    `toxiproxy    ${doc.toxiproxy ?? 'none'}${doc.proxies.length ? ` (${doc.proxies.length} proxies: ${doc.proxies.map((p) => p.name).join(', ')})` : ''}`,
    `admin        ${doc.admin.username} (password: ${passwordFrom})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function stackStatus(options: StackOptions): Promise<void> {
  const state = await requireState(options.stateDir);
  const doc = state.document;
  const health = await (await providerFor(doc.provider)).status(state);
  const entry = await fetch(`${doc.url}/api/v4/system/ping`, { signal: AbortSignal.timeout(3_000) }).then(
    async (r) => {
      await r.body?.cancel();
      return r.ok ? 'answers' : `HTTP ${r.status}`;
    },
    (err: unknown) => `no answer: ${err instanceof Error ? err.message : String(err)}`,
  );
  const healthy = health.every((h) => h.healthy) && entry === 'answers';
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ healthy, url: doc.url, entry, components: health, stack: doc }, null, 2)}\n`,
    );
  } else {
    const rows = health.map((h) => {
      const c = doc.components.find((x) => x.name === h.name)!;
      return [h.name, h.healthy ? colour.ok(h.state) : colour.bad(h.state), c.url ?? '', h.detail];
    });
    process.stdout.write(
      `${table(['component', 'state', 'url', 'detail'], rows)}\n\nusers' URL ${doc.url}: ${entry}\n`,
    );
  }
  process.exitCode = healthy ? ExitCode.ok : ExitCode.thresholdsFailed;
}

async function stackDown(options: StackOptions): Promise<void> {
  const state = await requireState(options.stateDir);
  const doc = state.document;
  await (await providerFor(doc.provider)).down(state, ({ component, result, ms }) =>
    progressLine(
      `  ${result === 'killed' ? colour.bad('✗') : colour.ok('✓')} ${component.padEnd(18)} ${result} (${seconds(ms)})`,
    ),
  );
  await removeState(options.stateDir);
  progressLine(`stack ${doc.name} is down; logs remain in ${doc.runDir}`);
}
