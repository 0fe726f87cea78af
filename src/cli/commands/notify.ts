import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../common/exit-codes.js';
import { genericNotification, mattermostNotification } from '../../report/notify-message.js';
import { readSummary } from '../../report/run-data.js';
import { progressLine } from '../output.js';

// `mmdrill notify --webhook-env VAR RUN_DIR`: results where the team already looks. The webhook
// URL is a secret (anyone holding it can post), so it is read from an environment variable and
// never printed; only its host is named in messages.

interface NotifyCommandOptions {
  webhookEnv: string;
  format: string;
  link?: string;
}

export function registerNotifyCommand(program: Command): void {
  program
    .command('notify')
    .summary('post a run’s verdict and key figures to a Mattermost incoming webhook (or a JSON webhook)')
    .description(
      'Posts the verdict, its reason and the key figures of a run to the webhook whose URL is in the\n' +
        'environment variable --webhook-env (never on the command line: the URL is a secret). With\n' +
        '--format mattermost (default) the body is an incoming-webhook message with an attachment;\n' +
        'with --format json it is a plain JSON document for any other webhook.\n\n' +
        'Exit codes: 0 posted, 1 the webhook refused it or did not answer, 2 bad input.\n\n' +
        'Examples:\n  MMDRILL_WEBHOOK=https://chat.example.com/hooks/xxx mmdrill notify --webhook-env MMDRILL_WEBHOOK reports/nightly/2026-12-04\n' +
        '  mmdrill notify --webhook-env ALERTS_URL --format json --link "$CI_JOB_URL" reports/last',
    )
    .argument('<run-dir>', 'a run directory holding summary.json')
    .requiredOption('--webhook-env <var>', 'environment variable holding the webhook URL')
    .option('--format <format>', 'mattermost or json', 'mattermost')
    .option('--link <url>', 'a link to the run (CI job, artifact) shown in the message')
    .action((runDir: string, options: NotifyCommandOptions) => notifyCommand(runDir, options));
}

async function notifyCommand(runDir: string, options: NotifyCommandOptions): Promise<void> {
  if (options.format !== 'mattermost' && options.format !== 'json')
    throw new UsageError(`--format: expected mattermost or json, got "${options.format}"`);
  const raw = process.env[options.webhookEnv];
  if (raw === undefined || raw === '')
    throw new UsageError(`--webhook-env: the environment variable ${options.webhookEnv} is not set`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--webhook-env: ${options.webhookEnv} does not hold a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--webhook-env: ${options.webhookEnv} must hold an http(s) URL`);
  const dir = resolve(runDir);
  const summary = await readSummary(resolve(dir, 'summary.json'));
  const body =
    options.format === 'json'
      ? genericNotification(summary, dir)
      : mattermostNotification(summary, dir, options.link);
  let failure: string | undefined;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) failure = `the webhook at ${url.host} answered ${response.status}`;
  } catch (error) {
    failure = `the webhook at ${url.host} did not answer: ${(error as Error).message}`;
  }
  if (failure !== undefined) {
    process.stderr.write(`mmdrill: notify: ${failure}\n`);
    process.exitCode = ExitCode.internalError;
    return;
  }
  progressLine(`notify: posted the ${summary.verdict} verdict to the webhook at ${url.host}`);
}
