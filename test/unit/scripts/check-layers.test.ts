// The layer check must pass on the tree as it is and fail on each kind of mistake it guards
// against: an upward import, src/ and testbed/ importing each other, a circle of files. The last
// case runs the script as CI does, on a copy of the tree with one upward import added.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImports, importsOf, readTree } from '../../../scripts/check-layers.mjs';
import { packageRoot } from '../../../src/common/package-root.js';

const root = packageRoot();
const withFile = (files: Map<string, string>, path: string, text: string) =>
  new Map([...files, [path, text]]);

describe('check-layers', () => {
  const tree = readTree(root);

  it('passes on the repository as it is', () => {
    expect(tree.size).toBeGreaterThan(100);
    expect(checkImports(tree)).toEqual([]);
  });

  it('fails a lower layer that imports a higher one, naming both', () => {
    const text = `${tree.get('src/common/loopback.ts')}\nimport { main } from '../cli/main.js';\n`;
    const problems = checkImports(withFile(tree, 'src/common/loopback.ts', text));
    expect(problems[0]).toBe(
      'src/common/loopback.ts imports src/cli/main.ts: common/ (layer 0) must not import cli/ (layer 9, above it)',
    );
    // cli/ imports common/ in turn, so the new import also closes a circle.
    expect(problems[1]).toMatch(/^import circle: .*src\/cli\/main\.ts.*src\/common\/loopback\.ts/);
  });

  it('counts type-only imports, and lets an import stay within its layer', () => {
    const files = new Map([
      ['src/verdict/a.ts', "import type { B } from '../report/b.js';\n"],
      ['src/report/b.ts', "import { c } from '../load/c.js';\nexport type B = 1;\n"],
      ['src/load/c.ts', 'export const c = 1;\n'],
    ]);
    expect(checkImports(files)).toEqual([
      'src/verdict/a.ts imports src/report/b.ts: verdict/ (layer 5) must not import report/ (layer 6, above it)',
    ]);
  });

  it('allows a named exception only', () => {
    const files = new Map([
      ['src/verdict/a.ts', "import { b } from '../report/b.js';\n"],
      ['src/report/b.ts', 'export const b = 1;\n'],
    ]);
    expect(checkImports(files, { 'verdict -> report': 'a reason' })).toEqual([]);
  });

  it('fails src/ importing testbed/ and testbed/ importing src/', () => {
    const files = new Map([
      ['src/stack/a.ts', "import { b } from '../../testbed/b.js';\n"],
      ['testbed/b.ts', "import { c } from '../src/common/c.js';\nexport const b = 1;\n"],
      ['src/common/c.ts', 'export const c = 1;\n'],
    ]);
    expect(checkImports(files)).toEqual([
      'src/stack/a.ts imports testbed/b.ts: src/ and testbed/ are separate programs',
      'testbed/b.ts imports src/common/c.ts: testbed/ and src/ are separate programs',
    ]);
  });

  it('fails a circle of files, type-only links included', () => {
    const files = new Map([
      ['testbed/a.ts', "import type { B } from './b.js';\nexport const a = 1;\n"],
      ['testbed/b.ts', "import { c } from './c.js';\nexport type B = 1;\n"],
      ['testbed/c.ts', "import { a } from './a.js';\nexport const c = a;\n"],
    ]);
    expect(checkImports(files)).toEqual(['import circle: testbed/a.ts -> testbed/b.ts -> testbed/c.ts']);
  });

  it('fails a src/ folder that has no place in the order', () => {
    const files = new Map([['src/widgets/a.ts', 'export const a = 1;\n']]);
    expect(checkImports(files)[0]).toMatch(/src\/widgets\/ has no place in the layer order/);
  });

  it('does not take an import inside a template string (generated k6 code) for an import', () => {
    expect(importsOf("const script = `import { x } from '../cli/main.js';`;\n")).toEqual([]);
    expect(importsOf("export { x } from './x.js';\nconst y = await import('./y.js');\n")).toEqual([
      './x.js',
      './y.js',
    ]);
  });

  it('exits 1 from the command line when a copy of the tree gains an upward import', () => {
    const copy = mkdtempSync(join(tmpdir(), 'mmdrill-layers-'));
    try {
      cpSync(join(root, 'src'), join(copy, 'src'), { recursive: true });
      cpSync(join(root, 'testbed'), join(copy, 'testbed'), { recursive: true });
      const script = join(root, 'scripts', 'check-layers.mjs');
      const clean = spawnSync(process.execPath, [script, copy], { encoding: 'utf8' });
      expect(clean.status).toBe(0);
      appendFileSync(join(copy, 'src/metrics/api.ts'), "import '../report/summary.js';\n");
      const broken = spawnSync(process.execPath, [script, copy], { encoding: 'utf8' });
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain(
        'src/metrics/api.ts imports src/report/summary.ts: metrics/ (layer 1) must not import report/ (layer 6, above it)',
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
