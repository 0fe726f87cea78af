import type { Command } from 'commander';
import { parseFormats, REPORT_FORMATS, writeReports } from '../../report/write-reports.js';
import { progressLine } from '../output.js';

interface ReportCommandOptions {
  format: string;
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
        'Exit codes: 0 written, 2 missing or unreadable run directory.\n\n' +
        'Examples:\n  mmdrill report reports/2026-11-27T01-15-35Z\n  mmdrill report reports/nightly --format md,junit',
    )
    .argument('<run-dir>', 'a run directory holding summary.json')
    .option(
      '--format <list>',
      `reports to write, comma-separated: ${REPORT_FORMATS.join(',')}`,
      REPORT_FORMATS.join(','),
    )
    .action((runDir: string, options: ReportCommandOptions) => reportCommand(runDir, options));
}

async function reportCommand(runDir: string, options: ReportCommandOptions): Promise<void> {
  const formats = parseFormats(options.format);
  const written = await writeReports(runDir, { formats });
  if (written.partial) progressLine('note: this run was interrupted; its reports are marked partial');
  for (const file of written.files) process.stdout.write(`${file}\n`);
}
