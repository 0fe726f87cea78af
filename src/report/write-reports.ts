import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../common/exit-codes.js';
import { renderHtmlReport } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';
import { loadRun, type RunData } from './run-data.js';

// The one entry point for the run's human-readable reports: called at the end of every run and
// by `mmdrill report`. Each format is one file in the run directory, derived from summary.json
// and timeseries.ndjson alone, so any report can be rewritten at any time.

export const REPORT_FORMATS = ['html', 'md', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  html: 'report.html',
  md: 'summary.md',
  junit: 'junit.xml',
};

const RENDERERS: Readonly<Record<ReportFormat, (run: RunData) => string>> = {
  html: renderHtmlReport,
  md: renderMarkdownSummary,
  junit: (run) => renderJunit(run.summary),
};

export interface WriteReportsOptions {
  /** Which reports to write; default: all of them. */
  formats?: readonly ReportFormat[];
}

export interface WrittenReports {
  /** Absolute paths of the files written, in the order of `formats`. */
  files: string[];
  partial: boolean;
}

/**
 * Writes the reports of the run in `runDir` (which must hold summary.json; timeseries.ndjson is
 * optional) next to its inputs. Throws RunInputError (a UsageError) when the inputs are missing
 * or unreadable.
 */
export async function writeReports(
  runDir: string,
  options: WriteReportsOptions = {},
): Promise<WrittenReports> {
  const formats = options.formats ?? REPORT_FORMATS;
  const run = await loadRun(runDir);
  const files: string[] = [];
  for (const format of formats) {
    const path = join(run.dir, REPORT_FILES[format]);
    await writeFile(path, RENDERERS[format](run));
    files.push(path);
  }
  return { files, partial: run.summary.partial };
}

/** Parses `html,md,junit` (also `markdown`, `xml`); throws UsageError naming what is wrong. */
export function parseFormats(text: string): ReportFormat[] {
  const aliases: Record<string, ReportFormat> = { markdown: 'md', xml: 'junit', htm: 'html' };
  const out: ReportFormat[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const format = (REPORT_FORMATS as readonly string[]).includes(name)
      ? (name as ReportFormat)
      : aliases[name];
    if (format === undefined)
      throw new UsageError(
        `--format: unknown report format "${raw.trim()}" (expected ${REPORT_FORMATS.join(', ')})`,
      );
    if (!out.includes(format)) out.push(format);
  }
  if (out.length === 0) throw new UsageError(`--format: name at least one of ${REPORT_FORMATS.join(', ')}`);
  return out;
}
