import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { ConfigError, type ConfigProblem } from '../common/config-error.js';
import { UsageError } from '../common/exit-codes.js';
import { type ConfigPath, valueAt } from './config-path.js';
import { describeSchemaErrors } from './schema-messages.js';
import { validatorFor } from './validator.js';
import { type Anchor, YamlSource } from './yaml-source.js';

/** A problem found by a semantic check (a rule the schema cannot express), before it is located. */
export interface ConfigIssue {
  path: ConfigPath;
  message: string;
  /** What to point at; `value` unless said otherwise. */
  anchor?: Anchor;
  expected?: string;
  got?: string;
}

export interface CheckContext {
  /** True when the file itself sets `path` (as opposed to a default filled in by the schema). */
  written(path: ConfigPath): boolean;
}

/** Cross-field rules that run after the schema passed; they return issues rather than throw. */
export type SemanticCheck<T> = (value: T, context: CheckContext) => ConfigIssue[] | Promise<ConfigIssue[]>;

export interface ParseOptions {
  /** What the file is (`environment`, `scenario`…), for messages. */
  kind?: string;
}

export interface LoadOptions<T> {
  kind: string;
  check?: SemanticCheck<T>;
}

interface Parsed<T> {
  value: T;
  source: YamlSource;
  written: CheckContext['written'];
}

/**
 * Parses YAML text and validates it against `schema` (defaults filled in). Throws ConfigError
 * listing every problem found, located by line and column in `file`.
 */
export function parseConfigText<S extends TSchema>(
  text: string,
  file: string,
  schema: S,
  options: ParseOptions = {},
): Static<S> {
  return parseAndValidate(text, file, schema, options.kind).value;
}

/** parseConfigText, then the semantic check; its issues are located in the file the same way. */
export async function parseConfigTextChecked<S extends TSchema>(
  text: string,
  file: string,
  schema: S,
  options: LoadOptions<Static<S>>,
): Promise<Static<S>> {
  const parsed = parseAndValidate(text, file, schema, options.kind);
  if (options.check !== undefined) {
    const issues = await options.check(parsed.value, { written: parsed.written });
    if (issues.length > 0) {
      const problems = issues.map((issue) =>
        parsed.source.problem(issue.path, issue.message, {
          ...(issue.anchor !== undefined && { anchor: issue.anchor }),
          ...(issue.expected !== undefined && { expected: issue.expected }),
          ...(issue.got !== undefined && { got: issue.got }),
        }),
      );
      throw new ConfigError(problems, options.kind);
    }
  }
  return parsed.value;
}

/**
 * Reads, parses, validates and checks one configuration file. Problems are reported against the
 * path as the user gave it (relative to the working directory when it is inside it).
 */
export async function loadConfigFile<S extends TSchema>(
  path: string,
  schema: S,
  options: LoadOptions<Static<S>>,
): Promise<Static<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`cannot read ${options.kind} file ${displayPath(path)}: ${reason}`);
  }
  return parseConfigTextChecked(text, displayPath(path), schema, options);
}

function parseAndValidate<S extends TSchema>(
  text: string,
  file: string,
  schema: S,
  kind: string | undefined,
): Parsed<Static<S>> {
  const source = new YamlSource(file, text);
  if (source.problems.length > 0) throw new ConfigError(source.problems, kind);
  const raw = source.toValue();
  if (raw === null || raw === undefined) {
    const problem: ConfigProblem = { file, line: 1, column: 1, path: '', message: 'the file is empty' };
    throw new ConfigError([problem], kind);
  }
  // Validate a copy: ajv fills defaults in place, and `written` must see the file as it is.
  const value = structuredClone(raw);
  const validate = validatorFor(schema);
  if (!validate(value)) {
    const findings = describeSchemaErrors(validate.errors ?? [], value);
    const problems = findings.map((f) => source.problem(f.at, f.message, f, f.path));
    throw new ConfigError(dedupe(problems), kind);
  }
  return { value: value as Static<S>, source, written: (path) => valueAt(raw, path) !== undefined };
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}
