import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { newClient } from '../../src/mattermost/official-client.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import { runCli } from '../support/cli.js';
import { REAL_RUN } from '../support/report-runs.js';

// `mmdrill notify` posts a run's verdict to a Mattermost incoming webhook — here the double's,
// created through the API like a team would — and the post is read back from the channel; with
// --format json the same facts reach a generic webhook. The URL never appears in the output.

const PASSWORD = 'Notify-test-Passw0rd';
let stack: RunningStack;

beforeAll(async () => {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  if (env.provider !== 'native') throw new Error('environments/native.yaml is not native');
  env.appNodes = 1;
  env.database.replica = false;
  env.objectStore.enabled = false;
  env.calls.enabled = false;
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-notify-stack-'),
    adminPassword: PASSWORD,
  });
}, 120_000);
afterAll(async () => {
  await stack?.down();
});

describe('mmdrill notify', () => {
  it('posts the verdict and key figures to an incoming webhook, readable as a post', async () => {
    const admin = newClient(stack.document.url);
    await admin.login(stack.document.admin.username, PASSWORD);
    const team = await admin.createTeam({ name: 'ops', display_name: 'Ops', type: 'O' } as never);
    const channel = await admin.createChannel({
      team_id: team.id,
      name: 'nightly',
      display_name: 'Nightly',
      type: 'O',
    } as never);
    const created = await fetch(`${stack.document.url}/api/v4/hooks/incoming`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.getToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel_id: channel.id, display_name: 'mmdrill' }),
    });
    expect(created.status).toBe(201);
    const hook = (await created.json()) as { id: string; channel_id: string };
    expect(hook.channel_id).toBe(channel.id);
    const url = `${stack.document.url}/hooks/${hook.id}`;

    const r = await runCli(['notify', '--webhook-env', 'TEAM_HOOK', REAL_RUN], { TEAM_HOOK: url });
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(hook.id);

    const posts = await admin.getPosts(channel.id);
    const post = Object.values(posts.posts).find((p) => p.props?.from_webhook === 'true');
    expect(post, JSON.stringify(posts)).toBeDefined();
    expect(post!.message).toMatch(/^\*\*mmdrill PASS\*\*: messaging/);
    expect(post!.message).toContain('Run: `');
    expect(post!.props.attachments).toEqual([
      expect.objectContaining({
        color: '#1a7f37',
        fields: expect.arrayContaining([expect.objectContaining({ title: 'p99 latency' })]),
      }),
    ]);

    // A hook that does not exist: the webhook refuses it, and notify says so (exit 1).
    const refused = await runCli(['notify', '--webhook-env', 'TEAM_HOOK', REAL_RUN], {
      TEAM_HOOK: `${stack.document.url}/hooks/${'x'.repeat(26)}`,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/answered 400/);
  });

  it('--format json posts the same facts to a generic webhook', async () => {
    const bodies: unknown[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.end('{}');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await runCli(['notify', '--webhook-env', 'JSON_HOOK', '--format', 'json', REAL_RUN], {
        JSON_HOOK: `http://127.0.0.1:${port}/ingest`,
      });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      server.close();
    }
    expect(bodies).toEqual([
      expect.objectContaining({
        verdict: 'pass',
        scenario: 'messaging',
        run: REAL_RUN,
        figures: expect.objectContaining({ 'p99 latency': expect.any(String) }),
      }),
    ]);
  });

  it('refuses bad input with exit 2', async () => {
    const unset = await runCli(['notify', '--webhook-env', 'NO_SUCH_VAR_SET', REAL_RUN]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/NO_SUCH_VAR_SET is not set/);
    const format = await runCli(['notify', '--webhook-env', 'H', '--format', 'xml', REAL_RUN], {
      H: 'http://127.0.0.1:1/',
    });
    expect(format.code).toBe(2);
    const missing = await runCli(['notify', REAL_RUN]);
    expect(missing.code).toBe(2);
    const noRun = await runCli(['notify', '--webhook-env', 'H', join(packageRoot(), 'no-such-run')], {
      H: 'http://127.0.0.1:1/',
    });
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/no summary.json/);
  });
});
