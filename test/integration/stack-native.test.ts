import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { isPidAlive, processesWithCwd } from '../../src/stack/native/procfs.js';
import { NativeProvider } from '../../src/stack/native/provider.js';
import { createRunDir } from '../../src/stack/native/run-dir.js';
import type { RunningStack } from '../../src/stack/provider.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';
import { newClient } from '../support/mattermost.js';
import { WebSocketProbe } from '../support/websocket.js';

// The whole native topology: users → Toxiproxy → NGINX → Toxiproxy → 2 app nodes → Toxiproxy →
// PostgreSQL primary + replica and the object store.

const ADMIN_PASSWORD = 'Stack-test-Passw0rd';
let stack: RunningStack;

beforeAll(async () => {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
  stack = await new NativeProvider().up(env, {
    runDir: await createRunDir('mmdrill-stack-test-'),
    adminPassword: ADMIN_PASSWORD,
  });
});

afterAll(async () => {
  await stack?.down();
});

describe('native stack', () => {
  it('publishes a stack document that validates against schemas/stack.schema.json', async () => {
    const schema = JSON.parse(
      await readFile(join(packageRoot(), 'schemas', 'stack.schema.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(stack.document), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(stack.document)).not.toContain(ADMIN_PASSWORD);
    expect(stack.document.components.map((c) => c.name)).toEqual([
      'postgres-primary',
      'postgres-replica',
      'object-store',
      'toxiproxy',
      'rtcd',
      'coturn',
      'push-sink',
      'app-1',
      'app-2',
      'nginx',
    ]);
  });

  it('logs in through NGINX and delivers, over a WebSocket through NGINX, a post made through the other node', async () => {
    const doc = stack.document;
    const admin = newClient(doc.url);
    const me = await admin.login(doc.admin.username, ADMIN_PASSWORD);
    expect(me.roles).toContain('system_admin');
    const probe = await new WebSocketProbe(doc.url, admin.getToken()).connect();
    const servedBy = String(
      (probe.eventsOf('hello')[0]!.data as { server_hostname: string }).server_hostname,
    );
    const other = doc.appNodes.find((n) => n.name !== servedBy)!;
    expect(other).toBeDefined();
    const direct = newClient(other.url);
    await direct.login(doc.admin.username, ADMIN_PASSWORD);
    const team = await direct.createTeam({ name: 'stack', display_name: 'Stack', type: 'O' } as never);
    const channel = await direct.createChannel({
      team_id: team.id,
      name: 'drill',
      display_name: 'Drill',
      type: 'O',
    });
    const post = await direct.createPost({ channel_id: channel.id, message: `through ${other.name}` });
    await probe.waitFor(
      () => probe.eventsOf('posted').some((e) => String((e.data as { post: string }).post).includes(post.id)),
      5_000,
      'posted',
    );
    probe.close();
  });

  it('has one Toxiproxy proxy per link, and cutting the users→LB link fails requests until it is restored', async () => {
    const toxiproxy = new ToxiproxyClient(stack.document.toxiproxy!);
    const proxies = await toxiproxy.listProxies();
    expect(proxies.map((p) => p.name)).toEqual(
      [
        'app-db-primary',
        'app-db-replica',
        'app-object-store',
        'lb-app-1',
        'lb-app-2',
        'users-lb',
        'users-turn',
      ].sort(),
    );
    const client = newClient(stack.document.url);
    await expect(client.ping(false)).resolves.toMatchObject({ status: 'OK' });
    await toxiproxy.disableProxy('users-lb');
    await expect(client.ping(false)).rejects.toThrow();
    await toxiproxy.enableProxy('users-lb');
    await expect(client.ping(false)).resolves.toMatchObject({ status: 'OK' });
  });

  it('stops every process it started on down', async () => {
    const pids = stack.document.components.map((c) => c.pid!);
    const dataDirs = Object.values(stack.dataDirs ?? {});
    expect(pids.every(isPidAlive)).toBe(true);
    await stack.down();
    expect(pids.filter(isPidAlive)).toEqual([]);
    expect(dataDirs.flatMap((d) => processesWithCwd(d))).toEqual([]);
    stack = undefined as unknown as RunningStack;
  });
});
