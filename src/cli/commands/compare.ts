import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../common/exit-codes.js';
import { parseBand } from '../../report/compare.js';
import { compareRuns } from '../../report/compare-runs.js';
import { progressLine } from '../output.js';

interface CompareCommandOptions {
  band: string;
  minSamples: string;
  out?: string;
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .summary('compare two runs per action; exit 99 on a regression beyond the band')
    .description(
      'Compares a candidate run with a base run per user action, per HTTP endpoint and overall: the\n' +
        'average, the p99 and the error rate side by side with their change. Changes under 2 ms or\n' +
        'under 1 % are noise and ignored (as in Mattermost’s load-test comparison); a slower or more\n' +
        'failing row beyond the band is a regression. Prints Markdown on stdout and writes compare.md\n' +
        'and compare.html to --out (default: the candidate run directory).\n\n' +
        'Exit codes: 0 no regression, 99 a regression was flagged, 2 bad input.\n\n' +
        'Examples:\n  mmdrill compare reports/release-11.1 reports/release-11.2\n' +
        '  mmdrill compare reports/base reports/candidate --band 5% --out reports/compare',
    )
    .argument('<base-run>', 'the run to compare against (a run directory holding summary.json)')
    .argument('<candidate-run>', 'the run under judgement')
    .option('--band <percent>', 'allowed change before a row is flagged', '10%')
    .option('--min-samples <n>', 'rows with fewer samples in either run are shown but not flagged', '10')
    .option('--out <dir>', 'directory for compare.md and compare.html (default: the candidate run)')
    .action((base: string, candidate: string, options: CompareCommandOptions) =>
      compareCommand(base, candidate, options),
    );
}

async function compareCommand(
  base: string,
  candidate: string,
  options: CompareCommandOptions,
): Promise<void> {
  const bandPct = parseBand(options.band);
  const minSamples = Number(options.minSamples);
  if (!Number.isInteger(minSamples) || minSamples < 1)
    throw new UsageError(`--min-samples: expected a positive integer, got "${options.minSamples}"`);
  const result = await compareRuns(base, candidate, { bandPct, minSamples, outDir: options.out });
  process.stdout.write(result.markdown);
  progressLine(`written: ${result.files.join(', ')}`);
  const n = result.comparison.regressions.length;
  if (n > 0) {
    progressLine(`compare: ${n} regression(s) beyond ${bandPct} %`);
    process.exitCode = ExitCode.thresholdsFailed;
  }
}
