#!/usr/bin/env node
// Holds the layer order of docs/architecture.md: a folder of src/ imports only folders of its own
// layer or below, src/ and testbed/ never import each other, and no files import each other in a
// circle. Biome's noRestrictedImports cannot say "below": it matches import paths as written, and
// `../report/x.js` means a different folder from every file, so one override per folder would have
// to list every higher folder under every relative spelling. This script reads the imports with
// TypeScript's own pre-parser (imports inside template strings, as in the k6 script generator, are
// not imports) and knows the order once. `.ci/run` and `npm run lint` run it; exit 1 on a finding.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** src/ folders from the bottom (0) up; folders on one line may import each other's files. */
export const LAYERS = [
  ['common'],
  ['config', 'metrics'],
  ['mattermost'],
  ['stack'],
  ['summary', 'seed', 'faults', 'sovereignty'],
  ['verdict'],
  ['report', 'load'],
  ['capacity', 'export'],
  ['run', 'drill'],
  ['cli'],
];

/**
 * Upward imports that are allowed, each with its reason (docs/architecture.md names them too).
 * A key is `from-folder -> to-folder`.
 */
export const EXCEPTIONS = {};

const LEVEL = new Map(LAYERS.flatMap((folders, level) => folders.map((folder) => [folder, level])));

/** `src/load/run.ts` → `load`; undefined outside src/. */
function srcFolder(file) {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

function program(file) {
  return file.split('/')[0];
}

/** Relative import specifiers of one source text, type-only imports included. */
export function importsOf(text) {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName).filter((name) => name.startsWith('.'));
}

/** The repository-relative file an import names, among `known` files; undefined if none. */
function resolveImport(from, spec, known) {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.mjs$/, '.mts'),
    base,
    `${base}.ts`,
    `${base}/index.ts`,
  ];
  return candidates.find((c) => known.has(c));
}

/** Strongly connected groups of more than one file (or a file importing itself), by Tarjan. */
function circles(graph) {
  let index = 0;
  const indexOf = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indexOf.get(w)));
    }
    if (low.get(v) === indexOf.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return found;
}

/**
 * Everything wrong with the imports of `files` (repository-relative path → source text of every
 * .ts file under src/ and testbed/). Pure, so a test can hand it a made-up tree.
 */
export function checkImports(files, exceptions = EXCEPTIONS) {
  const known = new Set(files.keys());
  const problems = [];
  const graph = new Map();
  for (const [file, text] of files) {
    const targets = [];
    const fromFolder = srcFolder(file);
    if (program(file) === 'src' && fromFolder !== undefined && !LEVEL.has(fromFolder)) {
      problems.push(
        `${file}: folder src/${fromFolder}/ has no place in the layer order (scripts/check-layers.mjs LAYERS)`,
      );
    }
    for (const spec of importsOf(text)) {
      const target = resolveImport(file, spec, known);
      if (target === undefined) continue;
      targets.push(target);
      if (program(file) !== program(target)) {
        problems.push(
          `${file} imports ${target}: ${program(file)}/ and ${program(target)}/ are separate programs`,
        );
        continue;
      }
      const toFolder = srcFolder(target);
      if (fromFolder === undefined || toFolder === undefined || fromFolder === toFolder) continue;
      const from = LEVEL.get(fromFolder);
      const to = LEVEL.get(toFolder);
      if (from === undefined || to === undefined || to <= from) continue;
      if (exceptions[`${fromFolder} -> ${toFolder}`] !== undefined) continue;
      problems.push(
        `${file} imports ${target}: ${fromFolder}/ (layer ${from}) must not import ${toFolder}/ (layer ${to}, above it)`,
      );
    }
    graph.set(file, targets);
  }
  for (const group of circles(graph)) problems.push(`import circle: ${group.join(' -> ')}`);
  return problems;
}

/** Every .ts file under `root`/src and `root`/testbed, by repository-relative path. */
export function readTree(root) {
  const files = new Map();
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'testbed'));
  return files;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = checkImports(readTree(root));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`check-layers: ${problems.length} problem(s); the layer order is in docs/architecture.md`);
    process.exitCode = 1;
  } else console.log('check-layers: imports point down, no circles');
}
