import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { egressGuardInstalled } from '../../src/stack/native/egress-guard.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import type { EgressFinding } from '../../src/summary/egress-schema.js';
import { egressFailures, egressReport } from '../../src/verdict/egress.js';
import { type Client4, newClient } from '../support/mattermost.js';

// The egress watch (issue 16, docs/egress.md) on a small native stack: two app nodes under their
// own uids behind the nftables rule, resolving through the stack's DNS sink. The double's link
// previews provoke outbound attempts. No test here resolves or reaches a real outside address:
// example.com is answered by the sink with a loopback trap, and 203.0.113.10 (TEST-NET-3, never
// routed) is rejected by the kernel rule before a packet leaves loopback, which the test checks
// (the rule is in force first; the node's own log shows the connect failing locally).

const PASSWORD = 'Egress-test-Passw0rd';

async function upStack(name: string, linkPreviews: boolean): Promise<RunningStack> {
  const dir = await createRunDir(`mmdrill-egress-${name}-`);
  const file = join(dir, 'env.yaml');
  await writeFile(
    file,
    [
      `name: ${name}`,
      'provider: native',
      'appNodes: 2',
      'database: { replica: false }',
      'objectStore: { enabled: false }',
      'calls: { enabled: false }',
      'proxies: []',
      `testDouble: { linkPreviews: ${linkPreviews} }`,
      'egressWatch: { enabled: true }',
    ].join('\n'),
  );
  const env = await loadEnvironmentFile(file);
  return new NativeProvider().up(env, { runDir: join(dir, 'stack'), adminPassword: PASSWORD });
}

async function channelOf(stack: RunningStack): Promise<{ client: Client4; channelId: string }> {
  const client = newClient(stack.document.url);
  await client.login(stack.document.admin.username, PASSWORD);
  const team = await client.createTeam({
    name: `eg${Date.now()}`,
    display_name: 'Egress',
    type: 'O',
  } as never);
  const channel = await client.createChannel({
    team_id: team.id,
    name: `c${Date.now()}`,
    display_name: 'Egress',
    type: 'O',
  } as never);
  return { client, channelId: channel.id };
}

async function findingsUntil(
  stack: RunningStack,
  since: Date,
  done: (f: EgressFinding[]) => boolean,
): Promise<EgressFinding[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const report = await egressReport(stack.document, since);
    if (done(report!.findings) || Date.now() > deadline) return report!.findings;
    await sleep(200);
  }
}

describe('egress watch with link previews on', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await upStack('egress-on', true);
  }, 90_000);
  afterAll(async () => {
    await stack?.down();
  });

  it('records the DNS query and the trap connection of a preview of https://example.com/, naming the node and time', async () => {
    expect(egressGuardInstalled(stack.document.egress!.table)).toBe(true);
    const { client, channelId } = await channelOf(stack);
    const since = new Date();
    await client.createPost({
      channel_id: channelId,
      message: 'read https://example.com/sovereignty',
    } as never);
    const findings = await findingsUntil(stack, since, (f) => f.some((x) => x.kind === 'trap-connection'));
    const dns = findings.find((f) => f.kind === 'dns-query');
    const trap = findings.find((f) => f.kind === 'trap-connection');
    expect(dns).toMatchObject({ name: 'example.com', protocol: 'udp' });
    expect(dns!.component).toMatch(/^app-[12]$/);
    expect(Date.parse(dns!.at)).toBeGreaterThanOrEqual(since.getTime());
    // The sink answered with a loopback trap: the connection never left the machine.
    expect(trap).toMatchObject({ name: 'example.com', port: 443, component: dns!.component });
    expect(trap!.address).toMatch(/^127\./);
    const report = (await egressReport(stack.document, since))!;
    expect(egressFailures(report)[0]).toMatch(
      /egress attempt\(s\) to outside the stack: app-[12] dns-query example\.com/,
    );
  });

  it('rejects a connect to a literal outside address before it leaves loopback, and records it', async () => {
    const { client, channelId } = await channelOf(stack);
    const since = new Date();
    const post = await client.createPost({
      channel_id: channelId,
      message: 'see https://203.0.113.10/x',
    } as never);
    const findings = await findingsUntil(stack, since, (f) => f.some((x) => x.kind === 'blocked-connection'));
    const blocked = findings.find((f) => f.kind === 'blocked-connection');
    expect(blocked).toMatchObject({ address: '203.0.113.10', port: 443 });
    expect(blocked!.component).toMatch(/^app-[12]$/);
    // The node saw the connect fail locally (the kernel rule's reject), not time out on a wire.
    const log = await readFile(
      stack.document.components.find((c) => c.name === blocked!.component)!.log!,
      'utf8',
    );
    const line = log.split('\n').find((l) => l.includes(post.id) && l.includes('link preview failed'));
    expect(line).toMatch(/EHOSTUNREACH|EPERM|ECONNREFUSED|EACCES/);
  });
});

describe('egress watch with link previews off', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await upStack('egress-off', false);
  }, 90_000);
  afterAll(async () => {
    await stack?.down();
  });

  it('records nothing for the same posts', async () => {
    const { client, channelId } = await channelOf(stack);
    const since = new Date();
    await client.createPost({
      channel_id: channelId,
      message: 'read https://example.com/sovereignty',
    } as never);
    await client.createPost({ channel_id: channelId, message: 'see https://203.0.113.10/x' } as never);
    await sleep(1_500);
    const report = (await egressReport(stack.document, since))!;
    expect(report).toMatchObject({ watched: true, failOnFinding: true, findings: [] });
    expect(egressFailures(report)).toEqual([]);
  });

  it('removes its nftables table at stack down', async () => {
    const table = stack.document.egress!.table;
    expect(egressGuardInstalled(table)).toBe(true);
    await stack.down();
    expect(egressGuardInstalled(table)).toBe(false);
  });
});
