import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/summary/summary-schema.js';
import { runCli } from '../support/cli.js';

// `mmdrill drill` end to end, as a user runs it, against stacks that misbehave: what the first
// screens say must be the finding about the server, not an internal error of mmdrill.
// * A double that acknowledges posts before committing them (testDouble.unsafe: ack-before-commit)
//   must get through seeding (a reply to a root not yet committed is retried until the root is
//   there), and a database failover that drops the uncommitted posts must end with the loss audit
//   failing: exit 99, the lost posts named.
// * When NGINX has no app node to send a request to, it answers 502 with an HTML page: the
//   first-failure line must say status, the component that answered and the endpoint.

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-drill-findings-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function drill(
  name: string,
  unsafe: string[],
  plan: string[],
  rate: number,
): Promise<{
  code: number | null;
  stderr: string;
  summary: Summary;
}> {
  const dir = join(work, name);
  const env = join(work, `${name}-env.yaml`);
  await writeFile(
    env,
    [
      `name: ${name}`,
      'provider: native',
      'appNodes: 2',
      'database: { replica: true }',
      'objectStore: { enabled: false }',
      'calls: { enabled: false }',
      'proxies: all',
      'admin: { username: sysadmin, passwordEnv: MMDRILL_ADMIN_PASSWORD }',
      `testDouble: { unsafe: [${unsafe.join(', ')}] }`,
    ].join('\n'),
  );
  const scenario = join(work, `${name}-scenario.yaml`);
  await writeFile(
    scenario,
    [
      `name: ${name}`,
      'seed: small',
      'scenarios:',
      '  writers:',
      '    executor: constant-arrival-rate',
      `    rate: ${rate}`,
      '    timeUnit: 1s',
      '    duration: 30s',
      '    preAllocatedVUs: 10',
      '    maxVUs: 60',
      '    gracefulStop: 5s',
      '    exec: { actions: [create_post] }',
    ].join('\n'),
  );
  const planFile = join(work, `${name}-plan.yaml`);
  await writeFile(planFile, [`name: ${name}`, 'faults:', ...plan].join('\n'));
  const drillFile = join(work, `${name}.yaml`);
  await writeFile(
    drillFile,
    [
      `name: ${name}`,
      `environment: ${env}`,
      `scenario: ${scenario}`,
      `faults: ${planFile}`,
      'duration: 30s',
    ].join('\n'),
  );
  const r = await runCli(['drill', drillFile, '--out', dir, '--state-dir', join(work, `${name}-state`)]);
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8').catch(() => '{}')) as Summary;
  return { code: r.code, stderr: r.stderr, summary };
}

describe('mmdrill drill against a misbehaving server', () => {
  it('ack-before-commit + a database failover: seeding copes, the loss audit fails the drill (exit 99) naming the lost posts', async () => {
    const r = await drill(
      'ack-loss',
      ['ack-before-commit'],
      ['  - { name: db-failover, kind: db-failover, target: postgres-primary, start: 10s, duration: 10s }'],
      25,
    );
    expect(r.stderr).not.toMatch(/internal error|preparation failed/);
    expect(r.code, r.stderr).toBe(99);
    const audits = r.summary.audits!;
    expect(audits.lostPosts, r.stderr).toBeGreaterThan(0);
    expect(audits.lostPostIds.length).toBeGreaterThan(0);
    expect(r.summary.verdict).toBe('fail');
    expect(r.summary.reason).toContain(`acknowledged post(s) lost (first: ${audits.lostPostIds[0]}`);
    expect(r.stderr).toMatch(/✗ audits: [1-9]\d* of \d+ acknowledged posts lost/);
    // The logins before the load are reported as the preparation, apart from the charts.
    expect(r.summary.preparation?.requests).toBeGreaterThan(0);
  }, 150_000);

  it('NGINX with no app node to answer: the first-failure line gives status, component and endpoint', async () => {
    const r = await drill(
      'lb-502',
      [],
      [
        '  - { name: cut-app-1, kind: partition, target: lb-app-1, start: 8s, duration: 8s }',
        '  - { name: cut-app-2, kind: partition, target: lb-app-2, start: 8s, duration: 8s }',
      ],
      5,
    );
    expect(r.stderr).not.toMatch(/internal error/);
    const line = r.stderr.split('\n').find((l) => l.includes('scenario writers: first failed iteration:'));
    expect(line, r.stderr).toMatch(
      // Whichever request of the user model met the cut first (a post, an autocomplete, ...).
      /first failed iteration: (GET|POST|PUT|DELETE) \/api\/v4\/\S+: 502 from the load balancer \(not Mattermost: no app node answered it\), Server: nginx[^:]*: 502 Bad Gateway/,
    );
    expect(line).not.toMatch(/<html>/);
  }, 150_000);
});
