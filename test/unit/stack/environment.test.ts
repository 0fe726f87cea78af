import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../../../src/common/config-error.js';
import { packageRoot } from '../../../src/common/package-root.js';
import { loadEnvironmentFile, parseEnvironmentText } from '../../../src/stack/environment-file.js';

const FILE = 'environments/test.yaml';

async function problems(text: string, options = {}): Promise<string[]> {
  try {
    await parseEnvironmentText(text, FILE, options);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('environment files shipped in environments/', () => {
  test('native: two app nodes, a replica, the object store, every link proxied', async () => {
    const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'native.yaml'));
    expect(env).toEqual({
      name: 'native',
      provider: 'native',
      appNodes: 2,
      database: { replica: true },
      objectStore: { enabled: true },
      calls: { enabled: true, turn: true },
      proxies: 'all',
      ports: { lb: 0, toxiproxy: 0 },
      loadBalancer: { clientMaxBodySize: '100M', proxyReadTimeout: '90s' },
      admin: { username: 'sysadmin', passwordEnv: 'MMDRILL_ADMIN_PASSWORD', tokenEnv: 'MMDRILL_ADMIN_TOKEN' },
      testDouble: { config: {}, unsafe: [] },
      egressWatch: { enabled: false, failOnFinding: true },
    });
  });

  test('link previews need the egress watch; the egress watch needs provider native', async () => {
    await expect(
      parseEnvironmentText(
        'name: x\nprovider: native\ntestDouble:\n  linkPreviews: true\n',
        'environments/t.yaml',
      ),
    ).rejects.toThrow(
      /testDouble\.linkPreviews: link previews fetch outside URLs: they need the egress watch/,
    );
    await expect(
      parseEnvironmentText(
        'name: x\nprovider: containers\negressWatch:\n  enabled: true\n',
        'environments/t.yaml',
      ),
    ).rejects.toThrow(/egressWatch\.enabled: the egress watch runs on provider native only/);
  });

  test('testDouble applies to provider native only', async () => {
    await expect(
      parseEnvironmentText(
        'name: x\nprovider: containers\ntestDouble:\n  unsafe: [drop-events]\n',
        'environments/t.yaml',
      ),
    ).rejects.toThrow(/environments\/t\.yaml:3:1 {2}testDouble: applies only to provider native/);
  });

  test('containers: the images are there', async () => {
    const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'containers.yaml'));
    if (env.provider !== 'containers') throw new Error('expected provider containers');
    expect(env.containers.images.toxiproxy).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
    expect(env.appNodes).toBe(2);
  });

  test('existing: the settings of a stack mmdrill starts are absent', async () => {
    const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'existing.example.yaml'));
    if (env.provider !== 'existing') throw new Error('expected provider existing');
    expect(env.existing).toEqual({
      url: 'https://mm.example.gov',
      toxiproxy: [
        {
          api: 'http://127.0.0.1:8474',
          links: { 'users-lb': 'mattermost-entry', 'app-db-primary': 'postgres-primary' },
        },
      ],
      allowDestructive: false,
    });
    expect(env).not.toHaveProperty('appNodes');
    expect(env).not.toHaveProperty('ports');
  });
});

describe('defaults', () => {
  test('a minimal native file gets the documented defaults; container images only for containers', async () => {
    const native = await parseEnvironmentText('name: n\nprovider: native\n', FILE);
    expect(native).not.toHaveProperty('containers');
    expect(native).toMatchObject({ appNodes: 2, proxies: 'all', database: { replica: true } });

    const containers = await parseEnvironmentText('name: c\nprovider: containers\n', FILE);
    if (containers.provider !== 'containers') throw new Error('expected provider containers');
    expect(containers.containers.images).toEqual({
      mattermost: 'mattermost/mattermost-enterprise-edition:11.7.1',
      postgres: 'postgres:15',
      objectStore: 'minio/minio:RELEASE.2025-09-07T16-13-09Z',
      nginx: 'nginx:1.28',
      toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
      rtcd: 'mattermost/rtcd:v0.18.0',
    });
  });
});

describe('schema problems', () => {
  test('zero app nodes, a wrong type and an unknown key', async () => {
    const text = lines(
      '# yaml-language-server: $schema=../schemas/environment.schema.json',
      'name: native',
      'provider: native',
      'appNodes: 0',
      'database:',
      '  replcia: true',
      'objectStore: { enabled: yes }',
    );
    expect(await problems(text)).toEqual([
      '3 problems in environment file environments/test.yaml:',
      'environments/test.yaml:4:11  appNodes: must be >= 1 (got 0)',
      'environments/test.yaml:6:3  database: unknown key "replcia" (did you mean "replica"?)',
      'environments/test.yaml:7:25  objectStore.enabled: expected boolean, got string "yes"',
    ]);
  });

  test('provider is required and must be one of the three', async () => {
    expect(await problems('name: x\n')).toEqual([
      'environments/test.yaml:1:1  missing required key "provider"',
    ]);
    expect(await problems('name: x\nprovider: docker\n')).toEqual([
      'environments/test.yaml:2:11  provider: expected one of native, containers, existing, got "docker"',
    ]);
  });

  test('a password in clear is refused without echoing it', async () => {
    const text = lines(
      'name: x',
      'provider: native',
      'admin:',
      '  username: sysadmin',
      '  password: hunter2',
    );
    const found = await problems(text);
    expect(found).toEqual([
      'environments/test.yaml:5:3  admin.password: passwords never go in environment files: put it in an environment variable and name that variable with passwordEnv',
    ]);
    expect(found.join('\n')).not.toContain('hunter2');
  });

  test('proxies: "all" or a list of known links, each once', async () => {
    expect(await problems('name: x\nprovider: native\nproxies: none\n')).toEqual([
      'environments/test.yaml:3:10  proxies: expected "all" or a list of links (users-lb, lb-app, app-db-primary, app-db-replica, app-object-store, users-turn) (got "none")',
    ]);
    expect(await problems('name: x\nprovider: native\nproxies: [users-lb, lb-ap]\n')).toEqual([
      'environments/test.yaml:3:21  proxies[1]: expected one of users-lb, lb-app, app-db-primary, app-db-replica, app-object-store, users-turn, got "lb-ap" (did you mean "lb-app"?)',
    ]);
  });

  test('ports: 0 or 1024-65535', async () => {
    expect(await problems('name: x\nprovider: native\nports: { lb: 80 }\n')).toEqual([
      'environments/test.yaml:3:14  ports.lb: expected 0 (any free port) or a port from 1024 to 65535 (got 80)',
    ]);
  });

  test('durations and sizes say what they expect', async () => {
    const text = lines(
      'name: x',
      'provider: native',
      'loadBalancer:',
      '  clientMaxBodySize: 50MB',
      '  proxyReadTimeout: 10 min',
    );
    expect(await problems(text)).toEqual([
      '2 problems in environment file environments/test.yaml:',
      'environments/test.yaml:4:22  loadBalancer.clientMaxBodySize: expected an NGINX size such as 100M, 512k or 1G (got "50MB")',
      'environments/test.yaml:5:21  loadBalancer.proxyReadTimeout: expected a duration such as 30s, 2m, 1h30m or 500ms, or a number of milliseconds (got "10 min")',
    ]);
  });

  test('a nested list item names its index', async () => {
    const text = lines(
      'name: x',
      'provider: existing',
      'existing:',
      '  url: https://mm.example.gov',
      '  toxiproxy:',
      '    - api: http://127.0.0.1:8474',
      '    - api: localhost:8474',
      '      links: { app-db: pg }',
    );
    expect(await problems(text)).toEqual([
      '2 problems in environment file environments/test.yaml:',
      'environments/test.yaml:7:12  existing.toxiproxy[1].api: expected an http:// or https:// URL (got "localhost:8474")',
      'environments/test.yaml:8:16  existing.toxiproxy[1].links: unknown key "app-db"',
    ]);
  });
});

describe('rules across fields (validateEnvironment)', () => {
  test('provider existing needs existing.url', async () => {
    expect(await problems('name: x\nprovider: existing\n')).toEqual([
      'environments/test.yaml:2:11  provider: provider existing needs an "existing" block with the url of the deployment (existing.url)',
    ]);
    expect(await problems('name: x\nprovider: existing\nexisting:\n  allowDestructive: true\n')).toEqual([
      'environments/test.yaml:3:1  existing: missing required key "url"',
    ]);
  });

  test('settings of a stack mmdrill starts are refused for provider existing', async () => {
    const text = lines(
      'name: x',
      'provider: existing',
      'appNodes: 3',
      'ports: { lb: 0 }',
      'existing: { url: "https://mm.example.gov" }',
    );
    expect(await problems(text)).toEqual([
      '2 problems in environment file environments/test.yaml:',
      'environments/test.yaml:3:1  appNodes: does not apply to provider existing (mmdrill starts no app nodes there); remove it',
      'environments/test.yaml:4:1  ports: does not apply to provider existing (mmdrill listens on no ports there); remove it',
    ]);
  });

  test('a containers block only with provider containers, an existing block only with provider existing', async () => {
    const text = lines(
      'name: x',
      'provider: native',
      'containers:',
      '  images: { nginx: "nginx:1.27" }',
      'existing: { url: "https://mm.example.gov" }',
    );
    expect(await problems(text)).toEqual([
      '2 problems in environment file environments/test.yaml:',
      "environments/test.yaml:3:1  containers: applies only to provider containers, and this environment's provider is native; remove it",
      "environments/test.yaml:5:1  existing: applies only to provider existing, and this environment's provider is native; remove it",
    ]);
  });

  test('the app-db-replica link needs a replica; app-object-store needs the object store', async () => {
    const text = lines(
      'name: x',
      'provider: native',
      'database: { replica: false }',
      'objectStore: { enabled: false }',
      'proxies:',
      '  - users-lb',
      '  - app-db-replica',
      '  - app-object-store',
    );
    expect(await problems(text)).toEqual([
      '2 problems in environment file environments/test.yaml:',
      'environments/test.yaml:7:5  proxies[1]: link app-db-replica needs a database replica: set database.replica: true or remove the link',
      'environments/test.yaml:8:5  proxies[2]: link app-object-store needs the object store: set objectStore.enabled: true or remove the link',
    ]);
    // "all" means every link the topology has: no replica, no replica link.
    await expect(
      parseEnvironmentText('name: x\nprovider: native\ndatabase: { replica: false }\n', FILE),
    ).resolves.toMatchObject({ proxies: 'all' });
  });

  describe('fixed ports', () => {
    let server: Server;
    let busy: number;
    beforeAll(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
      busy = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    test('a port in use is reported at its line', async () => {
      const text = lines('name: x', 'provider: native', 'ports:', `  lb: ${busy}`);
      expect(await problems(text)).toEqual([
        `environments/test.yaml:4:7  ports.lb: port ${busy} (ports.lb) is in use on 127.0.0.1`,
      ]);
    });

    test('the same port twice is reported once, at the second', async () => {
      const text = lines('name: x', 'provider: native', 'ports:', `  lb: ${busy}`, `  toxiproxy: ${busy}`);
      expect(await problems(text, { checkPorts: false })).toEqual([
        `environments/test.yaml:5:14  ports.toxiproxy: port ${busy} is already given to ports.lb`,
      ]);
    });

    test('checkPorts: false accepts a port in use (a running stack holds its own ports)', async () => {
      const env = await parseEnvironmentText(
        lines('name: x', 'provider: native', `ports: { lb: ${busy} }`),
        FILE,
        {
          checkPorts: false,
        },
      );
      expect(env.provider !== 'existing' && env.ports.lb).toBe(busy);
    });
  });
});
