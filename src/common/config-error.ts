// One or more things wrong in configuration files, each located like a compiler diagnostic. It is
// a usage error (exit 2), kept at the bottom because every layer that reads a file reports with it.

import { UsageError } from './exit-codes.js';

/** One thing wrong with a configuration file, located like a compiler diagnostic. */
export interface ConfigProblem {
  /** The file as the user named it. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted path of the field concerned (`faults[2].duration`); empty for the file as a whole. */
  path: string;
  message: string;
  expected?: string;
  got?: string;
}

/** `environments/native.yaml:7:3  appNodes: must be >= 1 (got 0)` */
export function formatProblem(problem: ConfigProblem): string {
  const field = problem.path === '' ? '' : `${problem.path}: `;
  return `${problem.file}:${problem.line}:${problem.column}  ${field}${problem.message}`;
}

export function compareProblems(a: ConfigProblem, b: ConfigProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.message.localeCompare(b.message);
}

function header(problems: readonly ConfigProblem[], kind: string | undefined): string {
  const files = new Set(problems.map((p) => p.file));
  const what = kind === undefined ? 'configuration file' : `${kind} file`;
  const where = files.size === 1 ? `${what} ${problems[0]!.file}` : `${what}s`;
  return `${problems.length} problems in ${where}:`;
}

/**
 * Everything wrong with one or more configuration files. It is a UsageError, so the CLI prints
 * the message as it is (no stack trace) and exits 2. The message starts each problem on its own
 * line with `file:line:column`, which editors and CI log viewers turn into links.
 */
export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], kind?: string) {
    if (problems.length === 0) throw new Error('ConfigError needs at least one problem');
    const sorted = [...problems].sort(compareProblems);
    const lines = sorted.map(formatProblem);
    super(sorted.length === 1 ? lines[0]! : [header(sorted, kind), ...lines].join('\n'));
    this.problems = sorted;
  }
}
