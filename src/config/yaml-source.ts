import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { ConfigProblem } from '../common/config-error.js';
import { type ConfigPath, formatPath, type PathSegment } from './config-path.js';

/**
 * Which part of the YAML a problem points at: the value, the key that names it (unknown or
 * forbidden keys), or the object that holds it (missing keys: the line of `database:`).
 */
export type Anchor = 'value' | 'key' | 'object';

export interface ProblemDetails {
  anchor?: Anchor;
  expected?: string;
  got?: string;
}

// Where yaml's own wording points at its API rather than at the file, say what to do instead.
const YAML_MESSAGES: Record<string, string> = {
  MULTIPLE_DOCS: 'a file holds one YAML document; remove the extra "---" separator',
};

/**
 * One YAML file parsed with source positions kept: YAML-level problems (syntax, duplicate keys)
 * are collected, and any path into the data can be mapped back to a line and column.
 */
export class YamlSource {
  readonly problems: ConfigProblem[] = [];
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document;

  constructor(
    readonly file: string,
    text: string,
  ) {
    // uniqueKeys off: duplicates are found below, where both lines can be named.
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: false });
    // One YAML mistake often yields several parser errors at the same spot; the first says it best.
    const reported = new Set<number>();
    for (const error of [...this.doc.errors, ...this.doc.warnings]) {
      if (reported.has(error.pos[0])) continue;
      reported.add(error.pos[0]);
      this.problems.push(this.yamlProblem(error));
    }
    if (this.doc.errors.length === 0) this.findDuplicateKeys(this.doc.contents, []);
  }

  /** The data as plain JavaScript values (keys as strings). */
  toValue(): unknown {
    return this.doc.toJS();
  }

  /** A problem located at `path`; where the path does not exist in the file, at its nearest ancestor. */
  problem(path: ConfigPath, message: string, details: ProblemDetails = {}, shownPath = path): ConfigProblem {
    const { line, column } = this.position(path, details.anchor ?? 'value');
    const problem: ConfigProblem = { file: this.file, line, column, path: formatPath(shownPath), message };
    if (details.expected !== undefined) problem.expected = details.expected;
    if (details.got !== undefined) problem.got = details.got;
    return problem;
  }

  position(path: ConfigPath, anchor: Anchor): { line: number; column: number } {
    const { node, key, complete } = this.find(path);
    let target: Node | null = node;
    if (!complete || anchor !== 'value' || isEmptyScalar(node)) target = key ?? node;
    const offset = target?.range?.[0] ?? 0;
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  private find(path: ConfigPath): { node: Node | null; key: Node | null; complete: boolean } {
    let node = this.doc.contents as Node | null;
    let key: Node | null = null;
    for (const segment of path) {
      if (isAlias(node)) node = (node.resolve(this.doc) as Node | undefined) ?? null;
      const next = this.step(node, segment);
      if (next === undefined) return { node, key, complete: false };
      node = next.node;
      key = next.key;
    }
    return { node, key, complete: true };
  }

  private step(node: Node | null, segment: PathSegment): { node: Node | null; key: Node | null } | undefined {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (pair === undefined) return undefined;
      return { node: (pair.value as Node | null) ?? null, key: pair.key as Node };
    }
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      return item === undefined ? undefined : { node: item, key: null };
    }
    return undefined;
  }

  private findDuplicateKeys(node: unknown, path: PathSegment[]): void {
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      for (const pair of node.items) {
        const name = keyText(pair.key);
        const first = seen.get(name);
        if (first === undefined) {
          seen.set(name, pair.key as Node);
        } else {
          const firstLine = this.lineCounter.linePos(first.range?.[0] ?? 0).line;
          const where = this.lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
          this.problems.push({
            file: this.file,
            line: where.line,
            column: where.col,
            path: formatPath(path),
            message: `duplicate key "${name}" (first set on line ${firstLine})`,
          });
        }
        this.findDuplicateKeys(pair.value, [...path, name]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        this.findDuplicateKeys(item, [...path, index]);
      });
    } else if (isPair(node)) {
      this.findDuplicateKeys(node.value, path);
    }
  }

  private yamlProblem(error: YAMLError): ConfigProblem {
    const { line, col } = this.lineCounter.linePos(error.pos[0]);
    const text = YAML_MESSAGES[error.code] ?? lowerFirst(error.message.replace(/\.$/, ''));
    return { file: this.file, line, column: col, path: '', message: `invalid YAML: ${text}` };
  }
}

/** `Implicit keys…` → `implicit keys…`, but `YAML…` stays. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** `key:` with nothing after it: point at the key, the empty value has no useful position. */
function isEmptyScalar(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null && node.source === '');
}
