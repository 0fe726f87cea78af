import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { packageRoot } from '../../src/common/package-root.js';
import { exportK6 } from '../../src/export/k6/export-k6.js';
import { k6Options } from '../../src/export/k6/k6-options.js';
import { ScriptConfigMapSchema, TestRunSchema } from '../../src/export/k6/testrun.js';
import { loadScenarioFile } from '../../src/load/scenario.js';
import { CRD_NOT_RUN, crdProblems, itWithCrds } from '../support/crds.js';

// `mmdrill export k6` for every shipped scenario: the script type-checks against @types/k6 (with
// the project's own tsc), embeds the scenario's executors and thresholds, and the TestRun is
// valid for the official k6-operator CRD and for mmdrill's own schema.

const REPO = packageRoot();
const SCENARIOS = (await readdir(join(REPO, 'scenarios'))).filter((f) => f.endsWith('.yaml')).sort();
const ajv = new Ajv({ allErrors: true, strict: false });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmdrill-export-k6-'));
  for (const file of SCENARIOS)
    await exportK6(join('scenarios', file), {
      out: join(dir, file.replace(/\.yaml$/, '')),
      parallelism: 3,
      separate: true,
      envFile: join(REPO, 'environments', 'k8s.yaml'),
    });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** tsc --noEmit with the tsconfig in `root` (the project's own tsc); its output and exit code. */
function typeCheck(root: string): { code: number | null; output: string } {
  const result = spawnSync(join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.json')], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('mmdrill export k6', () => {
  it('writes scripts that type-check against @types/k6, and tsc catches a script that does not', async () => {
    const broken = await readFile(join(dir, 'messaging', 'script.ts'), 'utf8');
    // A wrong call of a k6 API: the check must see it, or it checks nothing.
    await writeFile(join(dir, 'broken.ts'), `${broken}\nvoid http.asyncRequest(42);\n`);
    const types = join(REPO, 'node_modules', '@types');
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022'],
          typeRoots: [types],
          types: ['k6'],
          baseUrl: '.',
          paths: { k6: [join(types, 'k6', 'index.d.ts')], 'k6/*': [join(types, 'k6', '*')] },
        },
        include: ['**/*.ts'],
      }),
    );
    const { code, output } = typeCheck(dir);
    const errorFiles = new Set([...output.matchAll(/^(\S+\.ts)\(\d+,\d+\): error/gm)].map((m) => m[1]));
    expect(code, output).not.toBe(0);
    expect([...errorFiles], output).toEqual(['broken.ts']);
    expect(output).toMatch(/broken\.ts\(\d+,\d+\): error TS2554: Expected 2-4 arguments/);
  }, 120_000);

  it.each(SCENARIOS)('%s: the script carries the scenario’s executors and thresholds', async (file) => {
    const scenario = await loadScenarioFile(join(REPO, 'scenarios', file));
    const script = await readFile(join(dir, file.replace(/\.yaml$/, ''), 'script.ts'), 'utf8');
    const embedded = /export const options: Options = (\{[\s\S]*?\n\});/.exec(script);
    expect(embedded).not.toBeNull();
    const options = JSON.parse(embedded![1]!) as ReturnType<typeof k6Options>['options'];
    expect(options).toEqual(k6Options(scenario).options);
    expect(Object.keys(options.scenarios)).toEqual(Object.keys(scenario.scenarios));
    for (const [name, entry] of Object.entries(scenario.scenarios))
      expect(options.scenarios[name]!.executor).toBe(entry.executor);
    expect(script).toContain("new Trend('mm_delivery_latency', true)");
    expect(script).toContain('export function handleSummary');
  });

  it.each(SCENARIOS)('%s: the ConfigMap and TestRun validate against mmdrill’s schema', async (file) => {
    const out = join(dir, file.replace(/\.yaml$/, ''));
    const docs = parseAllDocuments(await readFile(join(out, 'testrun.yaml'), 'utf8')).map(
      (d) =>
        d.toJS() as {
          apiVersion: string;
          kind: string;
          spec: Record<string, unknown>;
          data: Record<string, string>;
        },
    );
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'TestRun']);
    const [configMap, testRun] = docs as [(typeof docs)[0], (typeof docs)[0]];
    expect(ajv.validate(ScriptConfigMapSchema, configMap), ajv.errorsText()).toBe(true);
    expect(ajv.validate(TestRunSchema, testRun), ajv.errorsText()).toBe(true);
    expect(configMap.data['script.ts']).toBe(await readFile(join(out, 'script.ts'), 'utf8'));
    expect(testRun.spec).toMatchObject({ parallelism: 3, separate: true });
    const env = (testRun.spec.runner as { env: { name: string; value?: string; valueFrom?: unknown }[] }).env;
    expect(env.find((e) => e.name === 'MM_URL')?.value).toBe('https://mattermost.example.org');
    expect(env.find((e) => e.name === 'MM_USER_PASSWORD')).toEqual({
      name: 'MM_USER_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'mmdrill-k6', key: 'MM_USER_PASSWORD' } },
    });
  });

  itWithCrds.each(SCENARIOS)(
    `%s: the TestRun validates against the official k6-operator CRD${CRD_NOT_RUN}`,
    async (file) => {
      const docs = parseAllDocuments(
        await readFile(join(dir, file.replace(/\.yaml$/, ''), 'testrun.yaml'), 'utf8'),
      );
      const testRun = docs[1]!.toJS() as { apiVersion: string; kind: string };
      expect(crdProblems(testRun)).toEqual([]);
    },
  );

  itWithCrds(`the CRD check rejects a TestRun the operator would reject${CRD_NOT_RUN}`, async () => {
    const docs = parseAllDocuments(await readFile(join(dir, 'messaging', 'testrun.yaml'), 'utf8'));
    const testRun = docs[1]!.toJS() as { apiVersion: string; kind: string; spec: Record<string, unknown> };
    const wrongType = { ...testRun, spec: { ...testRun.spec, parallelism: 'four' } };
    expect(crdProblems(wrongType).join('\n')).toMatch(/TestRun\.spec\.parallelism: must be integer/);
    const missing = { ...testRun, spec: { separate: true } };
    expect(crdProblems(missing).join('\n')).toMatch(/required property 'parallelism'/);
  });
});
