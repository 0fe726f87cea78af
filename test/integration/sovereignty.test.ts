import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushSink } from '../../src/stack/native/push-sink.js';
import { runCli } from '../support/cli.js';
import { type DoubleCluster, startDoubleCluster } from '../support/double.js';
import { signUp } from '../support/mattermost.js';

// The double's Mattermost configuration (admin only, secrets masked), push notifications that
// follow it into a push-proxy sink, and `mmdrill audit sovereignty` end to end: a default
// configuration fails with exit 99 naming the controls, the sovereign one passes, and a secret
// set in the configuration appears in no output.

const MASK = '********************************';
const SMTP_SECRET = 'smtp-secret-h16-0042';
const MESSAGE = 'the launch code is 0000';

let cluster: DoubleCluster;
let admin: Awaited<ReturnType<typeof signUp>>;
let sink: PushSink;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-sovereignty-'));
  sink = await new PushSink({ dir: work }).start();
  cluster = await startDoubleCluster({
    objectStore: false,
    env: {
      MMDOUBLE_CONFIG_JSON: JSON.stringify({
        EmailSettings: { PushNotificationServer: sink.url, SMTPPassword: SMTP_SECRET },
      }),
    },
  });
  admin = await signUp(cluster.url); // the first account: system admin
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await sink?.kill();
  await rm(work, { recursive: true, force: true });
});

const received = async () =>
  (await (await fetch(`${sink.url}/received`)).json()) as { body: Record<string, unknown> }[];

async function waitForPush(postId: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const hit = (await received()).find((r) => r.body.post_id === postId);
    if (hit) return hit.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no push for ${postId}`);
}

describe('the double carries a Mattermost configuration', () => {
  it('answers GET /api/v4/config to admins only, secrets masked; a PUT with the mask keeps them', async () => {
    const user = await signUp(cluster.url);
    const denied = await fetch(`${cluster.url}/api/v4/config`, {
      headers: { Authorization: `Bearer ${user.client.getToken()}` },
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { id: string }).id).toBe('api.context.permissions.app_error');
    const config = await admin.client.getConfig();
    expect(JSON.stringify(config)).not.toContain(SMTP_SECRET);
    expect(config.EmailSettings.SMTPPassword).toBe(MASK);
    expect(config.SqlSettings.DataSource).toBe(MASK);
    expect(config.ServiceSettings.EnableLinkPreviews).toBe(true);
    config.ServiceSettings.EnableLinkPreviews = false;
    const saved = await admin.client.updateConfig(config);
    expect(saved.EmailSettings.SMTPPassword).toBe(MASK);
    const client = (await (await fetch(`${cluster.url}/api/v4/config/client?format=old`)).json()) as Record<
      string,
      string
    >;
    expect(client.EnableLinkPreviews).toBe('false');
  });

  it('sends the message text to the push sink by default, only ids with id_loaded', async () => {
    const alice = await signUp(cluster.url);
    const bob = await signUp(cluster.url);
    const attach = await fetch(`${cluster.url}/api/v4/users/sessions/device`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bob.client.getToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ device_id: 'android:device-bob' }),
    });
    expect(attach.status).toBe(200);
    const dm = await alice.client.createDirectChannel([alice.user.id, bob.user.id]);
    const full = await alice.client.createPost({ channel_id: dm.id, message: MESSAGE } as never);
    const fullPush = await waitForPush(full.id);
    expect(fullPush.message).toBe(MESSAGE);
    expect(fullPush.device_id).toBe('device-bob');

    const config = await admin.client.getConfig();
    config.EmailSettings.PushNotificationContents = 'id_loaded';
    await admin.client.updateConfig(config);
    const idOnly = await alice.client.createPost({ channel_id: dm.id, message: MESSAGE } as never);
    const idPush = await waitForPush(idOnly.id);
    expect(JSON.stringify(idPush)).not.toContain(MESSAGE);
    expect(idPush.is_id_loaded).toBe(true);
    expect(idPush.post_id).toBe(idOnly.id);
    expect(idPush.sender_name).toBeUndefined();
  });
});

describe('mmdrill audit sovereignty', () => {
  it('fails a default configuration with exit 99, naming the failing controls and their fixes', async () => {
    const out = join(work, 'default');
    const r = await runCli(
      [
        'audit',
        'sovereignty',
        '--env',
        'environments/native.yaml',
        '--out',
        out,
        '--state-dir',
        join(work, 'state'),
      ],
      {
        MMDRILL_ADMIN_PASSWORD: 'Audit-Test-1',
      },
    );
    expect(r.code, r.stderr).toBe(99);
    expect(r.stderr).toContain('FAIL push.contents');
    expect(r.stderr).toContain('fix: Set EmailSettings.PushNotificationContents to "id_loaded"');
    expect(r.stderr).toContain('FAIL previews.links');
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('name="push.contents: Push notifications carry only ids (ID-only)"');
  }, 120_000);

  it('passes native-sovereign.yaml, and a secret in the config appears in no output', async () => {
    const env = join(work, 'sovereign.yaml');
    const text = await readFile('environments/native-sovereign.yaml', 'utf8');
    await writeFile(
      env,
      text
        .replace('name: native-sovereign', 'name: sovereign-secret')
        .replace('      SMTPPort:', `      SMTPPassword: ${SMTP_SECRET}\n      SMTPPort:`),
    );
    const out = join(work, 'sovereign');
    const r = await runCli(
      ['audit', 'sovereignty', '--env', env, '--out', out, '--json', '--state-dir', join(work, 'state')],
      {
        MMDRILL_ADMIN_PASSWORD: 'Audit-Test-1',
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SMTP_SECRET);
    for (const file of await readdir(out))
      expect(await readFile(join(out, file), 'utf8')).not.toContain(SMTP_SECRET);
  }, 120_000);
});
