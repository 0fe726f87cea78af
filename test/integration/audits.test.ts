import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { parseConfigText } from '../../src/config/load.js';
import { ScenarioFileSchema } from '../../src/load/scenario.js';
import { newClient } from '../../src/mattermost/official-client.js';
import { driveScenarioLoad } from '../../src/run/run-scenario.js';
import { credentialsFile } from '../../src/seed/credentials.js';
import { seed } from '../../src/seed/seeder.js';
import { resolveShape } from '../../src/seed/shape.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import type { Summary } from '../../src/summary/summary-schema.js';
import { readBackThrough } from '../../src/verdict/audit-posts.js';
import { auditFailures, auditRun } from '../../src/verdict/audits.js';
import { PerSecondObserver } from '../../src/verdict/fault-observations.js';

// The audits must catch real failures: a double that acknowledges posts before committing them
// loses some when an app node is killed, and the loss audit says so; a double that publishes no
// WebSocket events leaves online members without posts, and the delivery audit says so. The same
// runs against the safe double find nothing.

const PASSWORD = 'Audit-test-Passw0rd';
type Unsafe = 'ack-before-commit' | 'drop-events';

async function nativeStack(unsafe: Unsafe[]): Promise<RunningStack> {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  if (env.provider !== 'native') throw new Error('environments/native.yaml is not native');
  env.testDouble = { unsafe };
  return new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-audit-stack-'),
    adminPassword: PASSWORD,
  });
}

function readBackOptions(stack: RunningStack) {
  return { ...readBackThrough(stack.document, PASSWORD), retryForMs: 20_000 };
}

/**
 * The double reads from the replica, which may not have a team created a moment ago yet (a 404):
 * retries such answers for a few seconds.
 */
async function readYourWrites<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { status_code?: number }).status_code !== 404 || attempt >= 20) throw err;
      await sleep(250);
    }
  }
}

/**
 * Posts as the admin, straight to app-1, from 4 writers for 3 s; SIGKILLs app-1 1.5 s in.
 * Returns the ids app-1 acknowledged (201) before it died.
 */
async function postThroughAKill(stack: RunningStack): Promise<string[]> {
  const doc = stack.document;
  const app1 = doc.appNodes.find((n) => n.name === 'app-1')!;
  const admin = newClient(app1.url);
  await admin.login(doc.admin.username, PASSWORD);
  const team = await admin.createTeam({ name: 'audit', display_name: 'Audit', type: 'O' } as never);
  const channel = await readYourWrites(() =>
    admin.createChannel({ team_id: team.id, name: 'loss', display_name: 'Loss', type: 'O' } as never),
  );
  const acknowledged: string[] = [];
  const started = Date.now();
  const writer = async (w: number) => {
    for (let i = 0; Date.now() - started < 3_000 && i < 1_000; i++) {
      try {
        const post = await admin.createPost({
          channel_id: channel.id,
          message: `writer ${w} post ${i}`,
        } as never);
        acknowledged.push(post.id);
      } catch {
        await sleep(50); // the node is gone: keep trying until the end, as clients do
      }
      await sleep(10);
    }
  };
  const killer = sleep(1_500).then(() => stack.component('app-1').kill());
  await Promise.all([...[0, 1, 2, 3].map(writer), killer]);
  return acknowledged;
}

const SHAPE = `
name: audit
teams: 1
channels: 2
users: 12
channelsPerUser: 2
posts: 0
`;

/** A short user-model run where users post a lot, audited in the run's finish hook. */
async function userModelRun(stack: RunningStack, name: string) {
  const stateDir = await createRunDir('mmdrill-audit-state-');
  const shapeFile = join(stateDir, 'shape-audit.yaml');
  await writeFile(shapeFile, SHAPE);
  // Seeded here first, with retries, for the same replica lag (runScenario then finds it all).
  await readYourWrites(async () =>
    seed({
      target: {
        url: stack.document.url,
        admin: { username: stack.document.admin.username, password: PASSWORD },
      },
      shape: await resolveShape(shapeFile),
      credentialsPath: credentialsFile('audit', stateDir),
    }),
  );
  const text = `
name: ${name}
seed: ${shapeFile}
userModel:
  mix: { create_post: 10, switch_channel: 1 }
  idle: { min: 200ms, avg: 600ms }
  statusInterval: 0s
  reconnect: { minRetry: 300ms, jitter: 200ms }
scenarios:
  users:
    executor: constant-vus
    vus: 12
    duration: 12s
    gracefulStop: 5s
`;
  const observer = new PerSecondObserver();
  const { session, outcome, summaryInput } = await driveScenarioLoad(
    {
      scenario: parseConfigText(text, `${name}.yaml`, ScenarioFileSchema, { kind: 'scenario' }),
      scenarioFile: `${name}.yaml`,
      stack: stack.document,
      adminPassword: PASSWORD,
      stateDir,
      outDir: join(stateDir, 'out'),
      argv: ['mmdrill', 'run', name],
      log: () => undefined,
      quiet: true,
    },
    { listeners: [observer.listener] },
  );
  const audits = await auditRun({
    acknowledgedPosts: outcome.acknowledgedPosts,
    delivery: outcome.delivery,
    missed: outcome.missed,
    readBack: readBackOptions(stack),
  });
  const result = await session.finish(
    { ...summaryInput, audits, otherFailures: auditFailures(audits) },
    { partial: false },
  );
  return { result, audits, observations: observer.observations() };
}

async function validateSummary(summary: Summary): Promise<void> {
  const schema = JSON.parse(
    await readFile(join(packageRoot(), 'schemas', 'summary.schema.json'), 'utf8'),
  ) as object;
  const validate = new Ajv({ strict: false }).compile(schema);
  expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
}

describe('a double that acknowledges posts before committing them (--unsafe ack-before-commit)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await nativeStack(['ack-before-commit']);
  });
  afterAll(async () => {
    await stack?.down();
  });

  it('loses posts when an app node is SIGKILLed mid-stream, and the loss audit reports them', async () => {
    const acknowledged = await postThroughAKill(stack);
    expect(acknowledged.length).toBeGreaterThan(20);
    const report = await auditRun({
      acknowledgedPosts: acknowledged,
      delivery: {
        posts: 0,
        latency: { p50: 0, p95: 0, p99: 0 },
        undelivered: 0,
        byPath: { live: 0, replayed: 0, refetched: 0 },
      },
      missed: [],
      readBack: readBackOptions(stack),
    });
    expect(report.acknowledgedPosts).toBe(acknowledged.length);
    expect(report.lostPosts).toBeGreaterThan(0);
    expect(report.unverifiedPosts).toBe(0);
    expect(report.ok).toBe(false);
    // Every post reported lost is one the server acknowledged, each named once. (Which ones are
    // lost depends on how far the delayed commits had queued up behind the pool at the kill.)
    expect(new Set(report.lostPostIds).size).toBe(Math.min(report.lostPosts, 20));
    expect(acknowledged).toEqual(expect.arrayContaining(report.lostPostIds));
    expect(auditFailures(report)[0]).toMatch(/^audit: \d+ acknowledged post\(s\) lost/);
  });
});

describe('a double that publishes no WebSocket events (--unsafe drop-events)', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await nativeStack(['drop-events']);
  });
  afterAll(async () => {
    await stack?.down();
  });

  it('leaves online members without posts, and the delivery audit fails the run', async () => {
    const { result, audits } = await userModelRun(stack, 'audit-drop-events');
    expect(audits.expectedDeliveries).toBeGreaterThan(0);
    expect(audits.missedDeliveries).toBeGreaterThan(0);
    expect(audits.missed[0]).toMatchObject({ postId: expect.stringMatching(/^[a-z0-9]{26}$/) });
    expect(audits.lostPosts).toBe(0);
    expect(audits.ok).toBe(false);
    expect(result.summary.verdict).toBe('fail');
    expect(result.exitCode).toBe(99);
    expect(result.summary.reason).toMatch(/delivery\(ies\) to online members missed/);
    expect(result.summary.audits).toEqual(audits);
    await validateSummary(result.summary);
  });
});

describe('the safe double', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await nativeStack([]);
  });
  afterAll(async () => {
    await stack?.down();
  });

  it('loses nothing it acknowledged when an app node is SIGKILLed mid-stream', async () => {
    const acknowledged = await postThroughAKill(stack);
    expect(acknowledged.length).toBeGreaterThan(20);
    const report = await auditRun({
      acknowledgedPosts: acknowledged,
      delivery: {
        posts: 0,
        latency: { p50: 0, p95: 0, p99: 0 },
        undelivered: 0,
        byPath: { live: 0, replayed: 0, refetched: 0 },
      },
      missed: [],
      readBack: readBackOptions(stack),
    });
    expect(report).toMatchObject({
      acknowledgedPosts: acknowledged.length,
      lostPosts: 0,
      unverifiedPosts: 0,
      ok: true,
    });
    await stack.component('app-1').start(); // for the next test
  });

  it('delivers every post to every online member: the delivery audit passes', async () => {
    const { result, audits, observations } = await userModelRun(stack, 'audit-safe');
    expect(audits.expectedDeliveries).toBeGreaterThan(0);
    expect(audits).toMatchObject({ missedDeliveries: 0, lostPosts: 0, ok: true });
    // Every post the users made was acknowledged and read back.
    // (Each user first loads the web app's start-up requests, so posts start a few seconds in.)
    expect(audits.acknowledgedPosts).toBeGreaterThanOrEqual(10);
    expect(result.summary.verdict).toBe('pass');
    await validateSummary(result.summary);
    // The per-second observer saw the load.
    expect(observations.length).toBeGreaterThanOrEqual(8);
    expect(observations.reduce((n, s) => n + s.requests, 0)).toBeGreaterThan(20);
  });
});
