import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseConfigText } from '../../src/config/load.js';
import { ScenarioFileSchema } from '../../src/load/scenario.js';
import { PRODUCTION_MIX, USER_ACTION_NAMES } from '../../src/mattermost/actions/catalogue.js';
import { runScenario } from '../../src/run/run-scenario.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import type { Summary } from '../../src/summary/summary-schema.js';

// Issue 4's main acceptance run: 100 simulated users for 60 s against the native stack (2 app
// nodes behind NGINX and Toxiproxy), with an idle time short enough that every action of the mix
// happens, delivery measured for every post.

const PASSWORD = 'Run-test-Passw0rd';
let stack: RunningStack;
let stateDir: string;
let summary: Summary;
let outDir: string;

const SCENARIO = `
name: messaging-ci
seed: ${join(packageRoot(), 'test', 'fixtures', 'scenarios', 'shape-ci.yaml')}
userModel:
  # The production mix with the rarest actions raised so that each happens within a minute.
  mix:
    switch_channel: 6.52
    scroll_channel: 1.99
    delete_draft: 1.41
    unread_check: 1.0
    create_post: 1.0
    open_direct_channel: 0.98
    view_global_threads: 0.6
    upsert_draft: 0.5
    update_thread_read: 0.32
    click_permalink: 0.3
    view_thread: 0.28
    reconnect_websocket: 0.2
    add_reaction: 0.2
    edit_post: 0.2
    get_drafts: 0.2
    search_users: 0.2
    search_posts: 0.2
    search_channels: 0.2
    typing: 0.5
    upload_file: 0.2
  idle: { min: 200ms, avg: 1500ms }
  statusInterval: 10s
  reconnect: { minRetry: 300ms, jitter: 200ms }
scenarios:
  users:
    executor: constant-vus
    vus: 100
    duration: 60s
    gracefulStop: 5s
thresholds:
  mm_delivery_missed: ['count==0']
`;

beforeAll(async () => {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  stateDir = await createRunDir('mmdrill-run-state-');
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-run-stack-'),
    adminPassword: PASSWORD,
  });
  outDir = join(stateDir, 'out');
  const scenario = parseConfigText(SCENARIO, 'messaging-ci.yaml', ScenarioFileSchema, { kind: 'scenario' });
  const result = await runScenario({
    scenario,
    scenarioFile: 'messaging-ci.yaml',
    stack: stack.document,
    adminPassword: PASSWORD,
    stateDir,
    outDir,
    seed: 'ci',
    argv: ['mmdrill', 'run', 'messaging-ci.yaml'],
    log: () => undefined,
    quiet: true,
  });
  summary = result.summary;
}, 180_000);

afterAll(async () => {
  await stack?.down();
});

const count = (name: string) => {
  const m = summary.metrics[name];
  return m && m.type === 'counter' ? m.count : 0;
};

describe('a 60-second messaging run with 100 users', () => {
  it('produces every action of the mix, each with a non-empty histogram', () => {
    // The actions of the production mix (the scenario raises the rare ones; the others weigh 0).
    const mixed = USER_ACTION_NAMES.filter((action) => (PRODUCTION_MIX[action] ?? 0) > 0);
    const missing = mixed.filter((action) => count(`mm_actions{action:${action},ok:true}`) === 0);
    expect(missing).toEqual([]);
    for (const action of mixed) {
      const trend = summary.metrics[`mm_action_duration{action:${action}}`];
      expect(trend?.type, action).toBe('trend');
      if (trend?.type === 'trend') expect(trend.count, action).toBeGreaterThan(0);
    }
  });

  it('measures delivery for every created post and misses none', () => {
    const created =
      count('mm_actions{action:create_post,ok:true}') + count('mm_actions{action:upload_file,ok:true}');
    expect(created).toBeGreaterThan(20);
    expect(summary.delivery.posts).toBeGreaterThanOrEqual(count('mm_actions{action:create_post,ok:true}'));
    expect(summary.delivery.undelivered).toBe(0);
    const latency = summary.metrics.mm_delivery_latency;
    expect(latency?.type).toBe('trend');
    if (latency?.type === 'trend') expect(latency.count).toBeGreaterThanOrEqual(summary.delivery.posts);
  });

  it('held 100 WebSocket sessions', () => {
    const sessions = summary.metrics.mm_ws_sessions;
    expect(sessions?.type === 'gauge' && sessions.max).toBe(100);
  });

  it('writes a summary.json that validates against schemas/summary.schema.json, and a time series', async () => {
    const schema = JSON.parse(
      await readFile(join(packageRoot(), 'schemas', 'summary.schema.json'), 'utf8'),
    ) as object;
    const onDisk = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as unknown;
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(onDisk), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(onDisk)).not.toContain(PASSWORD);
    const lines = (await readFile(join(outDir, 'timeseries.ndjson'), 'utf8')).trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(55);
    expect(summary.harness.saturated).toBe(false);
  });
});
