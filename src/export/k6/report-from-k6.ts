import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { verdictLine, writeSummary } from '../../report/summary.js';
import { type ReportFormat, writeReports } from '../../report/write-reports.js';
import { exitCodeFor } from '../../verdict/verdict.js';
import { readK6Summaries } from './read-k6-summary.js';
import { summaryFromK6 } from './summary-from-k6.js';

// `mmdrill report --from-k6`: the k6 summaries of an exported scenario as a run directory with
// summary.json and the usual reports; the exit code is the verdict's, as after `mmdrill run`.

export async function reportFromK6(
  files: readonly string[],
  options: { formats: readonly ReportFormat[]; out: string | undefined; argv: readonly string[] },
): Promise<number> {
  const docs = [];
  for (const file of files) docs.push(...(await readK6Summaries(file)));
  const summary = summaryFromK6(docs, options.argv);
  const stamp = summary.endedAt.replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const dir = resolve(options.out ?? join('reports', `k6-${stamp}`));
  await mkdir(dir, { recursive: true });
  const summaryFile = join(dir, 'summary.json');
  await writeSummary(summaryFile, summary);
  const written = await writeReports(dir, { formats: options.formats });
  for (const file of [summaryFile, ...written.files]) process.stdout.write(`${file}\n`);
  process.stderr.write(`${verdictLine(summary)}\n`);
  return exitCodeFor(summary.verdict);
}
