import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CompareOptions, type Comparison, compareSummaries } from './compare.js';
import { renderCompareHtml } from './compare-html.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { loadRun, RunInputError } from './run-data.js';

// `mmdrill compare` without the CLI: loads two run directories, compares them and writes
// compare.md and compare.html. Only summary.json is needed from each run.

export interface CompareRunsOptions extends CompareOptions {
  /** Where compare.md and compare.html go; default: the candidate's run directory. */
  outDir?: string;
}

export interface ComparedRuns {
  comparison: Comparison;
  markdown: string;
  /** Absolute paths: [compare.md, compare.html]. */
  files: string[];
}

export async function compareRuns(
  baseDir: string,
  candidateDir: string,
  options: CompareRunsOptions = {},
): Promise<ComparedRuns> {
  const [base, candidate] = await Promise.all([loadRun(baseDir), loadRun(candidateDir)]);
  if (base.dir === candidate.dir) throw new RunInputError(`${baseDir}: base and candidate are the same run`);
  const comparison = compareSummaries(
    { id: base.id, summary: base.summary },
    { id: candidate.id, summary: candidate.summary },
    options,
  );
  const markdown = renderCompareMarkdown(comparison);
  const outDir = resolve(options.outDir ?? candidate.dir);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new RunInputError(
      `--out ${options.outDir ?? outDir}: cannot create it (${(err as Error).message})`,
    );
  }
  const files = [join(outDir, 'compare.md'), join(outDir, 'compare.html')];
  await writeFile(files[0]!, markdown);
  await writeFile(files[1]!, renderCompareHtml(comparison));
  return { comparison, markdown, files };
}
