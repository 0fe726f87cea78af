import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseConfigText } from '../../src/config/load.js';
import { ScenarioFileSchema } from '../../src/load/scenario.js';
import { SEARCH_BANDS } from '../../src/mattermost/search-bands.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import type { Summary } from '../../src/summary/summary-schema.js';

// Issue 18's search load: a short run of the search scenario's shape (post searches at a fixed
// rate over the CI data set, whose history carries the corpus's text) reports every query band
// with searches, latency and result counts, in summary.json (valid against its schema) and in
// summary.md, and the common-term band finds posts.

const PASSWORD = 'Search-test-Passw0rd';
let stack: RunningStack;
let summary: Summary;
let outDir: string;

const SCENARIO = `
name: search-ci
seed: ${join(packageRoot(), 'test', 'fixtures', 'scenarios', 'shape-ci.yaml')}
scenarios:
  searches:
    executor: constant-arrival-rate
    rate: 25
    timeUnit: 1s
    duration: 12s
    preAllocatedVUs: 20
    maxVUs: 40
    exec: { actions: [search_posts] }
`;

beforeAll(async () => {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  const stateDir = await createRunDir('mmdrill-search-state-');
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-search-stack-'),
    adminPassword: PASSWORD,
  });
  outDir = join(stateDir, 'out');
  const scenario = parseConfigText(SCENARIO, 'search-ci.yaml', ScenarioFileSchema, { kind: 'scenario' });
  const result = await runScenario({
    scenario,
    scenarioFile: 'search-ci.yaml',
    stack: stack.document,
    adminPassword: PASSWORD,
    stateDir,
    outDir,
    seed: 'search-ci',
    argv: ['mmdrill', 'run', 'search-ci.yaml'],
    log: () => undefined,
    quiet: true,
  });
  summary = result.summary;
}, 150_000);

afterAll(async () => {
  await stack?.down();
});

describe('a short search run', () => {
  it('reports every query band with searches, latency and results', () => {
    const bands = summary.searchBands ?? [];
    expect(bands.map((b) => b.band)).toEqual([...SEARCH_BANDS]);
    for (const b of bands) {
      expect(b.searches, b.band).toBeGreaterThan(0);
      expect(b.latency.p50, b.band).toBeGreaterThan(0);
      expect(b.latency.p99, b.band).toBeGreaterThanOrEqual(b.latency.p50);
    }
    // The seeded history is the corpus's text: its most common terms are there to find.
    expect(bands.find((b) => b.band === 'common')?.results.max).toBeGreaterThan(0);
    const failed = summary.metrics['mm_actions{action:search_posts,ok:false}'];
    expect(failed?.type === 'counter' ? failed.count : 0).toBe(0);
  });

  it('writes the bands into summary.json (valid against its schema) and summary.md', async () => {
    const schema = JSON.parse(await readFile(join(packageRoot(), 'schemas', 'summary.schema.json'), 'utf8'));
    const onDisk = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as Summary;
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(onDisk), JSON.stringify(validate.errors)).toBe(true);
    expect(onDisk.searchBands?.length).toBe(SEARCH_BANDS.length);
    const markdown = await readFile(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('Post search by query band');
    for (const band of SEARCH_BANDS) expect(markdown).toContain(`\`${band}\``);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toContain('Post search by query band');
  });
});
