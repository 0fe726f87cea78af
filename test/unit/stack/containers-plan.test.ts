import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { beforeAll, describe, expect, test } from 'vitest';
import { packageRoot } from '../../../src/common/package-root.js';
import { type ContainerPlan, startWaves } from '../../../src/stack/containers/container-plan.js';
import { allocateHostPorts } from '../../../src/stack/containers/host-ports.js';
import { REPLICATION_INIT_SCRIPT } from '../../../src/stack/containers/postgres.js';
import type { StackSecrets } from '../../../src/stack/containers/secrets.js';
import {
  type ContainersStackPlan,
  describeStack,
  planContainersStack,
} from '../../../src/stack/containers/stack-plan.js';
import type { ContainersEnvironment } from '../../../src/stack/environment.js';
import { loadEnvironmentFile } from '../../../src/stack/environment-file.js';
import { StackDocumentSchema } from '../../../src/stack/stack-document.js';

// The containers provider is checked on the container specifications it produces: no container
// runtime is needed (there is none on the build machines). The live test is containers-live.test.ts.

const SECRETS: StackSecrets = {
  databasePassword: 'db0secret0aaaaaaaaaaaa',
  replicationPassword: 'repl0secret0bbbbbbbbbb',
  objectStoreAccessKey: 'mmdrillaccess0ccccc',
  objectStoreSecretKey: 's3secret0dddddddddddddddd',
};
const LICENSE = 'license0contents0eeeeeeeeeeee';

let base: ContainersEnvironment;

beforeAll(async () => {
  const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'containers.yaml'), {
    checkPorts: false,
  });
  if (env.provider !== 'containers')
    throw new Error('environments/containers.yaml is not a containers environment');
  base = env;
});

/** Host ports from 30000 up, in allocation order: deterministic plans. */
async function plan(
  change: (env: ContainersEnvironment) => ContainersEnvironment = (e) => e,
  license?: string,
): Promise<ContainersStackPlan> {
  const env = change(structuredClone(base));
  let next = 30000;
  const hostPorts = await allocateHostPorts(env, async () => next++);
  return planContainersStack({
    env,
    secrets: SECRETS,
    hostPorts,
    stackId: 'test-1',
    runDir: '/runs/r1',
    license,
  });
}

const named = (p: ContainersStackPlan, name: string): ContainerPlan => {
  const found = p.containers.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} in the plan (have ${p.containers.map((c) => c.name).join(', ')})`);
  return found;
};
const names = (p: ContainersStackPlan) => p.containers.map((c) => c.name);

describe('containers plan for environments/containers.yaml', () => {
  test('images come from env.containers.images, and overrides replace them', async () => {
    const p = await plan();
    expect(Object.fromEntries(p.containers.map((c) => [c.name, c.image]))).toEqual({
      'postgres-primary': 'postgres:15',
      'postgres-replica': 'postgres:15',
      'object-store': 'minio/minio:RELEASE.2025-09-07T16-13-09Z',
      toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
      rtcd: 'mattermost/rtcd:v0.18.0',
      'app-1': 'mattermost/mattermost-enterprise-edition:11.7.1',
      'app-2': 'mattermost/mattermost-enterprise-edition:11.7.1',
      nginx: 'nginx:1.28',
    });
    const mirrored = await plan((e) => {
      e.containers.images.mattermost = 'mirror.local/mattermost/mattermost-team-edition:11.7.1';
      e.containers.images.postgres = 'mirror.local/postgres:16';
      return e;
    });
    expect(named(mirrored, 'app-2').image).toBe('mirror.local/mattermost/mattermost-team-edition:11.7.1');
    expect(named(mirrored, 'postgres-replica').image).toBe('mirror.local/postgres:16');
  });

  test('start order and waves follow the dependencies', async () => {
    const p = await plan();
    expect(names(p)).toEqual([
      'postgres-primary',
      'postgres-replica',
      'object-store',
      'toxiproxy',
      'rtcd',
      'app-1',
      'app-2',
      'nginx',
    ]);
    expect(startWaves(p.containers).map((wave) => wave.map((c) => c.name))).toEqual([
      ['postgres-primary', 'object-store', 'toxiproxy', 'rtcd'],
      ['postgres-replica'],
      ['app-1'],
      ['app-2'],
      ['nginx'],
    ]);
    expect(named(p, 'app-1').dependsOn).toEqual([
      'postgres-primary',
      'postgres-replica',
      'object-store',
      'toxiproxy',
      'rtcd',
    ]);
  });

  test('every container is on the network under its own name; ports are published once each', async () => {
    const p = await plan();
    for (const c of p.containers) {
      expect(c.networkAliases).toEqual([c.name]);
      expect(c.containerName).toBe(`mmdrill-test-1-${c.name}`);
      expect(c.labels).toEqual({
        'org.mmdrill.stack': 'test-1',
        'org.mmdrill.run-dir': '/runs/r1',
        'org.mmdrill.component': c.name,
      });
    }
    expect(p.network).toBe('mmdrill-test-1');
    const published = Object.fromEntries(
      p.containers.map((c) => [c.name, c.published.map((x) => x.container)]),
    );
    expect(published).toEqual({
      'postgres-primary': [5432],
      'postgres-replica': [5432],
      'object-store': [9000],
      toxiproxy: [8474, 10080],
      // rtcd's ICE port has the same number inside and out (what it advertises is what works)
      rtcd: [8045, named(p, 'rtcd').published[1]!.host],
      'app-1': [8065, 8067],
      'app-2': [8065, 8067],
      nginx: [80, 8081],
    });
    const hostPorts = p.containers.flatMap((c) => c.published.map((x) => x.host));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  test('wait strategies and startup timeouts', async () => {
    const p = await plan();
    const pgReady = {
      kind: 'all',
      of: [
        {
          kind: 'command',
          command: 'pg_isready --host=127.0.0.1 --port=5432 --username=mmuser --dbname=mattermost --quiet',
        },
        { kind: 'ports' },
      ],
    };
    expect(named(p, 'postgres-primary').wait).toEqual(pgReady);
    expect(named(p, 'postgres-replica').wait).toEqual(pgReady);
    expect(named(p, 'object-store').wait).toEqual({
      kind: 'http',
      path: '/minio/health/live',
      port: 9000,
      status: 200,
    });
    expect(named(p, 'toxiproxy').wait).toEqual({ kind: 'http', path: '/version', port: 8474, status: 200 });
    expect(named(p, 'app-1').wait).toEqual({
      kind: 'http',
      path: '/api/v4/system/ping',
      port: 8065,
      status: 200,
    });
    expect(named(p, 'nginx').wait).toEqual({ kind: 'http', path: '/nginx-health', port: 8081, status: 200 });
    expect(named(p, 'app-1').startupTimeoutMs).toBeGreaterThanOrEqual(300_000);
  });

  test('Mattermost is configured by MM_* variables, reaching PostgreSQL and S3 through their proxies', async () => {
    const p = await plan();
    const env = named(p, 'app-1').env;
    expect(env).toMatchObject({
      MM_SQLSETTINGS_DRIVERNAME: 'postgres',
      MM_SQLSETTINGS_DATASOURCE: `postgres://mmuser:${SECRETS.databasePassword}@toxiproxy:15432/mattermost?sslmode=disable&connect_timeout=10&binary_parameters=yes`,
      MM_SQLSETTINGS_DATASOURCEREPLICAS: `postgres://mmuser:${SECRETS.databasePassword}@toxiproxy:15433/mattermost?sslmode=disable&connect_timeout=10&binary_parameters=yes`,
      MM_FILESETTINGS_DRIVERNAME: 'amazons3',
      MM_FILESETTINGS_AMAZONS3ENDPOINT: 'toxiproxy:19000',
      MM_FILESETTINGS_AMAZONS3BUCKET: 'mattermost',
      MM_FILESETTINGS_AMAZONS3ACCESSKEYID: SECRETS.objectStoreAccessKey,
      MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY: SECRETS.objectStoreSecretKey,
      MM_FILESETTINGS_AMAZONS3SSL: 'false',
      MM_SERVICESETTINGS_SITEURL: p.usersUrl,
      MM_SERVICESETTINGS_LISTENADDRESS: ':8065',
      MM_TEAMSETTINGS_ENABLEOPENSERVER: 'true',
      MM_CLUSTERSETTINGS_ENABLE: 'true',
      MM_CLUSTERSETTINGS_CLUSTERNAME: 'containers',
      MM_METRICSSETTINGS_ENABLE: 'true',
      MM_METRICSSETTINGS_LISTENADDRESS: ':8067',
      MM_RATELIMITSETTINGS_ENABLE: 'false',
      MM_LOGSETTINGS_ENABLECONSOLE: 'true',
      MM_LOGSETTINGS_CONSOLEJSON: 'true',
    });
    expect(Object.keys(env).every((key) => key.startsWith('MM_'))).toBe(true);
    expect(env).not.toHaveProperty('MM_LICENSE');
    expect(named(await plan(undefined, LICENSE), 'app-2').env.MM_LICENSE).toBe(LICENSE);
    // Every node gets the same settings.
    expect(named(p, 'app-2').env).toEqual(env);
    expect(p.usersUrl).toBe(`http://127.0.0.1:${named(p, 'toxiproxy').published[1]!.host}`);
  });

  test('PostgreSQL: primary ready for streaming replication, replica cloned from it', async () => {
    const p = await plan();
    const primary = named(p, 'postgres-primary');
    const replica = named(p, 'postgres-replica');
    expect(primary.env).toEqual({
      POSTGRES_USER: 'mmuser',
      POSTGRES_PASSWORD: SECRETS.databasePassword,
      POSTGRES_DB: 'mattermost',
      MMDRILL_REPLICATION_PASSWORD: SECRETS.replicationPassword,
    });
    expect(primary.command).toEqual(
      expect.arrayContaining(['postgres', 'wal_level=replica', 'max_wal_senders=10']),
    );
    expect(primary.files).toEqual([
      {
        target: '/docker-entrypoint-initdb.d/10-mmdrill-replication.sh',
        content: REPLICATION_INIT_SCRIPT,
        mode: 0o755,
      },
    ]);
    expect(REPLICATION_INIT_SCRIPT).toContain('CREATE ROLE replicator WITH REPLICATION LOGIN');
    expect(REPLICATION_INIT_SCRIPT).toContain('host replication replicator all scram-sha-256');
    expect(replica.env).toEqual({ PGPASSWORD: SECRETS.replicationPassword });
    expect(replica.entrypoint).toEqual(['/bin/bash', '-c']);
    const script = replica.command![0]!;
    expect(script).toMatch(/pg_basebackup --host=postgres-primary --port=5432 --username=replicator/);
    expect(script).toContain('--write-recovery-conf --wal-method=stream');
    expect(script).toContain('exec docker-entrypoint.sh postgres');
    // A hot standby refuses to start with fewer connections than its primary.
    const maxConnections = (args: string) => /max_connections=(\d+)/.exec(args)?.[1];
    expect(maxConnections(script)).toBe(maxConnections(primary.command!.join(' ')));
    expect(replica.dependsOn).toEqual(['postgres-primary']);
  });

  test('object store: MinIO with root credentials from the environment, bucket made after start', async () => {
    const p = await plan();
    const store = named(p, 'object-store');
    expect(store.command).toEqual(['server', '/data', '--address', ':9000']);
    expect(store.env).toMatchObject({
      MINIO_ROOT_USER: SECRETS.objectStoreAccessKey,
      MINIO_ROOT_PASSWORD: SECRETS.objectStoreSecretKey,
    });
    expect(p.bucket).toBe('mattermost');
  });

  test('Toxiproxy: one proxy per link on fixed ports; the users entry opens after NGINX', async () => {
    const p = await plan();
    expect(p.proxies.map((x) => [x.name, x.link, x.listen, x.upstream, x.createAfter])).toEqual([
      ['app-db-primary', 'app-db-primary', '0.0.0.0:15432', 'postgres-primary:5432', 'toxiproxy'],
      ['app-db-replica', 'app-db-replica', '0.0.0.0:15433', 'postgres-replica:5432', 'toxiproxy'],
      ['app-object-store', 'app-object-store', '0.0.0.0:19000', 'object-store:9000', 'toxiproxy'],
      ['lb-app-1', 'lb-app', '0.0.0.0:10101', 'app-1:8065', 'toxiproxy'],
      ['lb-app-2', 'lb-app', '0.0.0.0:10102', 'app-2:8065', 'toxiproxy'],
      ['users-lb', 'users-lb', '0.0.0.0:10080', 'nginx:80', 'nginx'],
    ]);
    expect(p.proxies.find((x) => x.name === 'users-lb')!.dial).toBe(p.usersUrl.replace('http://', ''));
    expect(named(p, 'toxiproxy').command).toEqual(['-host=0.0.0.0', '-port=8474']);
  });

  test('NGINX: the native renderer, listening in its container, upstreams = the lb-app proxies', async () => {
    const p = await plan();
    const nginx = named(p, 'nginx');
    expect(nginx.command).toEqual(['nginx', '-c', '/var/lib/mmdrill/nginx/nginx.conf', '-g', 'daemon off;']);
    const conf = nginx.files.find((f) => f.target.endsWith('nginx.conf'))!.content;
    expect(conf).toMatch(/server toxiproxy:10101 max_fails=\d+ fail_timeout=\d+s;\s+server toxiproxy:10102 /);
    expect(conf).not.toMatch(/server app-\d/);
    expect(conf).toContain('listen 0.0.0.0:80;');
    expect(conf).toContain('listen 0.0.0.0:8081;');
    expect(conf).toContain('access_log /dev/stdout mmdrill;');
    expect(conf).toContain('user nginx;');
    expect(conf).toContain('location ~ /api/v[0-9]+/(users/)?websocket$');
    expect(conf).toContain('client_max_body_size 100M;');
    expect(conf).toContain('proxy_read_timeout 90s;');
    expect(conf).toMatch(/keepalive \d+;/);
    expect(nginx.files.map((f) => f.target)).toContain('/var/lib/mmdrill/nginx/temp/.keep');
    expect(nginx.dependsOn).toEqual(['app-1', 'app-2']);
  });
});

describe('containers plan for variants', () => {
  test('one app node', async () => {
    const p = await plan((e) => ({ ...e, appNodes: 1 }));
    expect(names(p)).toEqual([
      'postgres-primary',
      'postgres-replica',
      'object-store',
      'toxiproxy',
      'rtcd',
      'app-1',
      'nginx',
    ]);
    expect(p.proxies.filter((x) => x.link === 'lb-app').map((x) => x.name)).toEqual(['lb-app-1']);
    const conf = named(p, 'nginx').files[0]!.content;
    expect(conf.match(/^\s*server toxiproxy:\d+ /gm)).toHaveLength(1);
  });

  test('no replica: no replica container, proxy or DSN', async () => {
    const p = await plan((e) => ({ ...e, database: { replica: false } }));
    expect(names(p)).not.toContain('postgres-replica');
    expect(p.proxies.map((x) => x.name)).not.toContain('app-db-replica');
    expect(named(p, 'app-1').env).not.toHaveProperty('MM_SQLSETTINGS_DATASOURCEREPLICAS');
    expect(named(p, 'app-1').dependsOn).not.toContain('postgres-replica');
  });

  test('no object store: local files, no S3 settings, no bucket', async () => {
    const p = await plan((e) => ({ ...e, objectStore: { enabled: false } }));
    expect(names(p)).not.toContain('object-store');
    expect(p.bucket).toBeNull();
    const env = named(p, 'app-1').env;
    expect(env.MM_FILESETTINGS_DRIVERNAME).toBe('local');
    expect(Object.keys(env).filter((k) => k.includes('AMAZONS3'))).toEqual([]);
    expect(JSON.stringify(p)).not.toContain(SECRETS.objectStoreSecretKey);
  });

  test('proxies subset: links left out connect directly', async () => {
    const p = await plan((e) => ({ ...e, proxies: ['lb-app', 'app-object-store'] }));
    expect(p.proxies.map((x) => x.name)).toEqual(['app-object-store', 'lb-app-1', 'lb-app-2']);
    const env = named(p, 'app-1').env;
    expect(env.MM_SQLSETTINGS_DATASOURCE).toContain('@postgres-primary:5432/');
    expect(env.MM_SQLSETTINGS_DATASOURCEREPLICAS).toContain('@postgres-replica:5432/');
    expect(env.MM_FILESETTINGS_AMAZONS3ENDPOINT).toBe('toxiproxy:19000');
    // No users-lb proxy: the users' URL is NGINX itself, and Toxiproxy publishes only its API.
    expect(named(p, 'toxiproxy').published.map((x) => x.container)).toEqual([8474]);
    expect(p.usersUrl).toBe(named(p, 'nginx').url);
    expect(env.MM_SERVICESETTINGS_SITEURL).toBe(p.usersUrl);
  });

  test('no proxies at all: no Toxiproxy container; NGINX reaches the app nodes directly', async () => {
    const p = await plan((e) => ({ ...e, proxies: [] }));
    expect(names(p)).not.toContain('toxiproxy');
    expect(p.toxiproxyApiUrl).toBeNull();
    expect(named(p, 'app-1').dependsOn).not.toContain('toxiproxy');
    const conf = named(p, 'nginx').files[0]!.content;
    expect(conf).toMatch(/server app-1:8065 .*\n\s*server app-2:8065 /);
  });

  test('fixed ports from the environment are used for the users entry and the Toxiproxy API', async () => {
    const p = await plan((e) => ({ ...e, ports: { lb: 18065, toxiproxy: 18474 } }));
    expect(p.usersUrl).toBe('http://127.0.0.1:18065');
    expect(p.toxiproxyApiUrl).toBe('http://127.0.0.1:18474');
    expect(named(p, 'toxiproxy').published).toEqual([
      { container: 8474, host: 18474 },
      { container: 10080, host: 18065 },
    ]);
  });
});

describe('secrets and the stack document', () => {
  const secretValues = [...Object.values(SECRETS), LICENSE];

  test('secrets appear only in container env, never in commands, files, labels or URLs', async () => {
    const p = await plan(undefined, LICENSE);
    for (const c of p.containers) {
      const { env: _env, ...rest } = c;
      const text = JSON.stringify(rest);
      for (const secret of secretValues) expect(text, `${c.name} leaks a secret`).not.toContain(secret);
    }
    const { containers: _c, ...outside } = p;
    for (const secret of secretValues) expect(JSON.stringify(outside)).not.toContain(secret);
  });

  test('the document follows the published schema, on 127.0.0.1, without secrets', async () => {
    const p = await plan(undefined, LICENSE);
    const doc = describeStack(p, {
      env: base,
      runDir: '/runs/r1',
      startedAt: new Date('2026-01-02T03:04:05Z'),
      containerIds: new Map(p.containers.map((c, i) => [c.name, `id${i}`])),
      logFile: (name) => `/runs/r1/${name}/container.log`,
    });
    expect(Value.Errors(StackDocumentSchema, doc).First()).toBeUndefined();
    expect(doc).toMatchObject({
      provider: 'containers',
      url: p.usersUrl,
      toxiproxy: p.toxiproxyApiUrl,
      admin: { username: 'sysadmin', passwordEnv: 'MMDRILL_ADMIN_PASSWORD' },
    });
    expect(doc.components.map((c) => [c.name, c.kind, c.containerId])).toEqual([
      ['postgres-primary', 'database', 'id0'],
      ['postgres-replica', 'database-replica', 'id1'],
      ['object-store', 'object-store', 'id2'],
      ['toxiproxy', 'toxiproxy', 'id3'],
      ['rtcd', 'media-server', 'id4'],
      ['app-1', 'app', 'id5'],
      ['app-2', 'app', 'id6'],
      ['nginx', 'load-balancer', 'id7'],
    ]);
    for (const c of doc.components) expect(c.url).toMatch(/^(http|postgres):\/\/(mmuser@)?127\.0\.0\.1:\d+/);
    expect(doc.appNodes.map((a) => a.metricsUrl)).toEqual([
      `${named(p, 'app-1').url!.replace(/:\d+$/, '')}:${named(p, 'app-1').published[1]!.host}/metrics`,
      `${named(p, 'app-2').url!.replace(/:\d+$/, '')}:${named(p, 'app-2').published[1]!.host}/metrics`,
    ]);
    expect(doc.proxies).toContainEqual({
      name: 'app-db-primary',
      link: 'app-db-primary',
      listen: 'toxiproxy:15432',
      upstream: 'postgres-primary:5432',
    });
    const text = JSON.stringify(doc);
    for (const secret of secretValues) expect(text).not.toContain(secret);
  });
});

describe('containers plan: Calls with mattermost/rtcd', () => {
  test('rtcd from its image, self-registration on, ICE on 127.0.0.1 at the published port, nothing external', async () => {
    const p = await plan();
    const rtcd = named(p, 'rtcd');
    const media = rtcd.published[1]!;
    expect(media.container).toBe(media.host);
    expect(rtcd.env).toMatchObject({
      RTCD_API_SECURITY_ALLOWSELFREGISTRATION: 'true',
      RTCD_RTC_ICEPORTUDP: String(media.host),
      RTCD_RTC_ICEPORTTCP: String(media.host),
      RTCD_RTC_ICEHOSTOVERRIDE: '127.0.0.1',
      RTCD_RTC_ICESERVERS: '[]',
    });
    expect(rtcd.wait).toEqual({ kind: 'http', path: '/version', port: 8045, status: 200 });
    expect(rtcd.url).toBe(`http://127.0.0.1:${rtcd.published[0]!.host}`);
  });

  test('every app node points the Calls plugin at rtcd on the stack network', async () => {
    const p = await plan(undefined, LICENSE);
    for (const app of ['app-1', 'app-2']) {
      expect(named(p, app).env).toMatchObject({
        MM_CALLS_RTCD_SERVICE_URL: 'http://rtcd:8045',
        MM_CALLS_ICE_SERVERS_CONFIGS: '[]',
        MM_CALLS_DEFAULT_ENABLED: 'true',
      });
    }
  });

  test('calls.enabled false: no rtcd container, no Calls settings, no rtcd ports', async () => {
    const p = await plan((e) => ({ ...e, calls: { enabled: false, turn: true } }));
    expect(names(p)).not.toContain('rtcd');
    expect(Object.keys(named(p, 'app-1').env).filter((k) => k.startsWith('MM_CALLS_'))).toEqual([]);
    expect(named(p, 'app-1').dependsOn).not.toContain('rtcd');
  });
});
