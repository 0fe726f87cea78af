import type { Command } from 'commander';
import { UsageError } from '../../common/exit-codes.js';
import { reportFromK6 } from '../../export/k6/report-from-k6.js';
import { parseFormats, REPORT_FORMATS, writeReports } from '../../report/write-reports.js';
import { progressLine } from '../output.js';

interface ReportCommandOptions {
  format: string;
  fromK6?: string[];
  out?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .summary('write the reports of a run directory again (HTML, Markdown, JUnit)')
    .description(
      'Writes report.html (self-contained, charts with fault windows), summary.md (for CI job\n' +
        'summaries) and junit.xml (one test case per threshold, audit and fault verdict) from a run\n' +
        "directory's summary.json and timeseries.ndjson. `mmdrill run` writes them at the end of every\n" +
        'run; this command rewrites them, e.g. after an upgrade of mmdrill.\n\n' +
        'With --from-k6, builds a run directory (--out) from the summaries the script of `mmdrill export k6`\n' +
        'wrote (its JSON file, or `kubectl logs` of the runners; several are merged) and judges it.\n\n' +
        'Exit codes: 0 written, 2 missing or unreadable input; with --from-k6, 99 when thresholds failed.\n\n' +
        'Examples:\n  mmdrill report reports/2026-11-27T01-15-35Z\n  mmdrill report reports/nightly --format md,junit\n' +
        '  mmdrill report --from-k6 runners.log --out reports/k8s-messaging',
    )
    .argument('[run-dir]', 'a run directory holding summary.json')
    .option('--from-k6 <file...>', 'k6 summaries (JSON, or runner logs) of an exported scenario')
    .option('--out <dir>', 'with --from-k6: the run directory to write (default reports/k6-<time>)')
    .option(
      '--format <list>',
      `reports to write, comma-separated: ${REPORT_FORMATS.join(',')}`,
      REPORT_FORMATS.join(','),
    )
    .action((runDir: string | undefined, options: ReportCommandOptions) => reportCommand(runDir, options));
}

async function reportCommand(runDir: string | undefined, options: ReportCommandOptions): Promise<void> {
  const formats = parseFormats(options.format);
  if (options.fromK6 !== undefined) {
    if (runDir !== undefined) throw new UsageError('give a run directory or --from-k6, not both');
    process.exitCode = await reportFromK6(options.fromK6, {
      formats,
      out: options.out,
      argv: process.argv.slice(1),
    });
    return;
  }
  if (runDir === undefined) throw new UsageError('name a run directory (or --from-k6 FILE)');
  const written = await writeReports(runDir, { formats });
  if (written.partial) progressLine('note: this run was interrupted; its reports are marked partial');
  for (const file of written.files) process.stdout.write(`${file}\n`);
}
