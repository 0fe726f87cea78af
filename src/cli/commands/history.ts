import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { buildHistory, collectHistoryRuns } from '../../report/history.js';
import { renderHistoryHtml, renderHistoryMarkdown } from '../../report/history-render.js';
import { progressLine } from '../output.js';

// `mmdrill history DIR…`: the nightly soak's memory. Reads many runs' summary.json, writes
// history.html and history.md (one point per run, the band of normal variation, the runs that
// broke it); --baseline prints the last passing run, the reference for `mmdrill compare`.

interface HistoryCommandOptions {
  out: string;
  baseline?: boolean;
}

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .summary('key figures of many runs over time, their band of normal variation, the runs that broke it')
    .description(
      'Reads the summary.json of every run named (a run directory, a summary.json file, or a folder of\n' +
        'either, such as a nightly job’s reports/ folder) and writes history.html and history.md to\n' +
        '--out: one point per run for HTTP p99 and average, failed requests, delivery p99 and request\n' +
        'rate, the band of normal variation (median ± 3 scaled MADs) and the runs outside it.\n' +
        'With --baseline it only prints the directory of the last passing run (by start time), the\n' +
        'reference for `mmdrill compare`.\n\n' +
        'Exit codes: 0 written (or baseline printed), 2 bad input or no passing run for --baseline.\n\n' +
        'Examples:\n  mmdrill history reports/nightly --out reports/history\n' +
        '  mmdrill compare "$(mmdrill history reports/nightly --baseline)" reports/nightly/tonight',
    )
    .argument('<dirs...>', 'run directories, summary.json files, or folders of them')
    .option('--out <dir>', 'directory for history.html and history.md', '.')
    .option('--baseline', 'print the last passing run’s directory instead of writing the history')
    .action((dirs: string[], options: HistoryCommandOptions) => historyCommand(dirs, options));
}

async function historyCommand(dirs: string[], options: HistoryCommandOptions): Promise<void> {
  const history = buildHistory(await collectHistoryRuns(dirs));
  if (options.baseline) {
    if (history.baseline === null)
      throw new UsageError(
        `no passing run among the ${history.runs.length} run(s): no baseline to compare with`,
      );
    process.stdout.write(`${history.runs[history.baseline]!.dir}\n`);
    return;
  }
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'history.html'), renderHistoryHtml(history));
  await writeFile(join(out, 'history.md'), renderHistoryMarkdown(history));
  progressLine(
    `history of ${history.runs.length} run(s); ${history.broken.length} broke the band; written: ${join(out, 'history.html')}, ${join(out, 'history.md')}`,
  );
}
