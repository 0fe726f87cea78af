import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { probeContainerRuntime } from '../../src/stack/containers/runtime-probe.js';
import { LABELS } from '../../src/stack/containers/stack-plan.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import type { ComponentHealth } from '../../src/stack/provider.js';
import { type StackDocument, StackDocumentSchema } from '../../src/stack/stack-document.js';
import type { Summary } from '../../src/summary/summary-schema.js';
import { runCli, startCli } from '../support/cli.js';

// The containers provider live, on the images `npm run setup:containers` builds (Podman, no
// registry): `mmdrill stack up → status → down` and the short drills through the CLI, as a user
// runs them, and after each — also after Ctrl-C during `up` — no container, pod, network or
// volume carrying mmdrill's labels remains. Where no runtime answers or the local images are
// missing the suite is skipped and its title says why (and how to get them); with
// MMDRILL_REQUIRE_CONTAINERS=1 (as in CI) it fails instead.

const ENV_FILE = join(packageRoot(), 'environments', 'containers-local.yaml');
const PASSWORD = 'Live-Containers-Passw0rd';

const probe = await probeContainerRuntime();
const runtimeEnv: NodeJS.ProcessEnv = {
  ...(probe.dockerHost ? { DOCKER_HOST: process.env.DOCKER_HOST ?? probe.dockerHost } : {}),
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  MMDRILL_ADMIN_PASSWORD: PASSWORD,
};

/** A request (GET unless told) on the runtime's API (Docker-compatible, or Podman's libpod paths). */
function api(path: string, method = 'GET'): Promise<{ status: number; body: unknown }> {
  const host = runtimeEnv.DOCKER_HOST ?? '';
  if (!host.startsWith('unix://')) throw new Error(`the live test speaks to unix sockets only (${host})`);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: host.slice('unix://'.length), path, method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function missingImages(): Promise<string[]> {
  const env = await loadEnvironmentFile(ENV_FILE);
  if (env.provider !== 'containers') throw new Error(`${ENV_FILE} is not a containers environment`);
  const { mattermost, postgres, objectStore, nginx, toxiproxy, rtcd } = env.containers.images;
  const missing: string[] = [];
  for (const image of [mattermost, postgres, objectStore, nginx, toxiproxy, rtcd]) {
    if ((await api(`/images/${encodeURIComponent(image)}/json`)).status !== 200) missing.push(image);
  }
  return missing;
}

const missing = probe.available ? await missingImages() : [];
const skipReason = !probe.available
  ? probe.reason
  : missing.length > 0
    ? `local images missing (${missing.join(', ')}): run npm run setup:containers`
    : null;
const title = skipReason ? `NOT RUN: ${skipReason}` : probe.reason;
if (skipReason) console.warn(`live containers stack ${title}`);

/** Everything on the runtime carrying mmdrill's stack label: must be empty between tests. */
async function leftovers(): Promise<string[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [LABELS.stack] }));
  const found: string[] = [];
  const containers = (await api(`/containers/json?all=true&filters=${filters}`)).body as {
    Names: string[];
  }[];
  found.push(...containers.map((c) => `container ${c.Names[0]}`));
  const networks = (await api(`/networks?filters=${filters}`)).body as { Name: string }[];
  found.push(...networks.map((n) => `network ${n.Name}`));
  const volumes = (await api(`/volumes?filters=${filters}`)).body as { Volumes: { Name: string }[] | null };
  found.push(...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`));
  // Pods are Podman's own; Docker answers 404 here.
  const pods = await api(`/v4.0.0/libpod/pods/json?filters=${filters}`);
  if (pods.status === 200) found.push(...(pods.body as { Name: string }[]).map((p) => `pod ${p.Name}`));
  return found;
}

/** Volumes with no label at all (anonymous ones a removed container could leave). */
async function volumeCount(): Promise<number> {
  const volumes = (await api('/volumes')).body as { Volumes: unknown[] | null };
  return (volumes.Volumes ?? []).length;
}

let work: string;
let volumesBefore = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mmdrill-containers-'));
  if (!skipReason) volumesBefore = await volumeCount();
});

afterAll(async () => {
  if (!skipReason) await runCli(['stack', 'down', '--state-dir', join(work, 'state')], runtimeEnv);
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)(`live containers stack (${title})`, () => {
  it('stack up → status → down through the CLI; nothing with mmdrill labels remains', async () => {
    const stateDir = join(work, 'state');
    const up = await runCli(
      ['stack', 'up', '--env', ENV_FILE, '--json', '--state-dir', stateDir],
      runtimeEnv,
    );
    expect(up.code, up.stderr).toBe(0);
    const doc = JSON.parse(up.stdout) as StackDocument;
    expect(Value.Errors(StackDocumentSchema, doc).First()).toBeUndefined();
    expect(up.stdout + up.stderr).not.toContain(PASSWORD);
    expect(doc.components.map((c) => c.name)).toEqual([
      'postgres-primary',
      'postgres-replica',
      'object-store',
      'toxiproxy',
      'rtcd',
      'app-1',
      'app-2',
      'nginx',
    ]);
    expect(doc.proxies.map((p) => p.name).sort()).toEqual(
      ['app-db-primary', 'app-db-replica', 'app-object-store', 'lb-app-1', 'lb-app-2', 'users-lb'].sort(),
    );
    const ping = await fetch(`${doc.url}/api/v4/system/ping`);
    expect(ping.status).toBe(200);
    // Calls: both app nodes hold their link to the rtcd double (by name, on the stack's network).
    const rtcd = doc.components.find((c) => c.name === 'rtcd')!;
    let links: string[] = [];
    for (const deadline = Date.now() + 15_000; links.length < 2 && Date.now() < deadline; ) {
      links = ((await (await fetch(`${rtcd.url}/stats`)).json()) as { links: string[] }).links;
      if (links.length < 2) await new Promise((r) => setTimeout(r, 200));
    }
    expect(links).toHaveLength(2);

    const status = await runCli(['stack', 'status', '--json', '--state-dir', stateDir], runtimeEnv);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ healthy: true, entry: 'answers' });

    // Status reads the runtime, not PIDs: a stopped container is reported as such, exit 99.
    const nginx = doc.components.find((c) => c.name === 'nginx')!;
    expect((await api(`/containers/${nginx.containerId}/stop?t=1`, 'POST')).status).toBe(204);
    const broken = await runCli(['stack', 'status', '--json', '--state-dir', stateDir], runtimeEnv);
    expect(broken.code, broken.stderr).toBe(99);
    const report = JSON.parse(broken.stdout) as { healthy: boolean; components: ComponentHealth[] };
    expect(report.healthy).toBe(false);
    expect(report.components.find((c) => c.name === 'nginx')).toMatchObject({ state: 'stopped' });
    expect(report.components.find((c) => c.name === 'postgres-primary')).toMatchObject({ healthy: true });

    const down = await runCli(['stack', 'down', '--state-dir', stateDir], runtimeEnv);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers()).toEqual([]);
    expect(await volumeCount()).toBe(volumesBefore);
  }, 180_000);

  it('Ctrl-C during stack up removes every container and the network it had created', async () => {
    const stateDir = join(work, 'interrupted');
    const { child, result } = startCli(
      ['stack', 'up', '--env', ENV_FILE, '--state-dir', stateDir],
      runtimeEnv,
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // Interrupt once the first containers are ready and the app tier is next.
    const deadline = Date.now() + 60_000;
    while (!/✓ postgres-replica/.test(stderr) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stderr).toMatch(/✓ postgres-replica/);
    expect((await leftovers()).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const exit = await result;
    expect(exit.code, exit.stderr).toBe(130);
    expect(await leftovers()).toEqual([]);
    expect(await volumeCount()).toBe(volumesBefore);
  }, 120_000);

  for (const drill of ['app-node-kill', 'app-node-freeze', 'db-failover']) {
    it(`drill ${drill} --short --env containers-local: passes, 0 acknowledged posts lost, nothing left`, async () => {
      const out = join(work, drill);
      const run = await runCli(
        [
          'drill',
          join(packageRoot(), 'drills', `${drill}.yaml`),
          '--short',
          '--env',
          ENV_FILE,
          '--out',
          out,
          '--state-dir',
          join(work, `state-${drill}`),
        ],
        runtimeEnv,
      );
      const written = await readFile(join(out, 'summary.json'), 'utf8').catch(() => null);
      expect(written, `no summary.json (exit ${run.code}): ${run.stderr.slice(-2000)}`).not.toBeNull();
      const summary = JSON.parse(written!) as Summary;
      for (const fault of summary.faults ?? []) expect(fault.ok, `${fault.name}: ${fault.reason}`).toBe(true);
      expect(summary.audits?.acknowledgedPosts).toBeGreaterThan(20);
      expect(summary.audits?.lostPosts).toBe(0);
      expect(summary.verdict, summary.reason).toBe('pass');
      expect(run.code, run.stderr).toBe(0);
      expect(await leftovers()).toEqual([]);
      expect(await volumeCount()).toBe(volumesBefore);
    }, 300_000);
  }
});

// CI sets MMDRILL_REQUIRE_CONTAINERS=1 once it has set the runtime and images up: there a skipped
// suite would hide a broken setup, so it fails instead. Declared only then: elsewhere it would
// add a skipped test to every run.
if (skipReason !== null && process.env.MMDRILL_REQUIRE_CONTAINERS === '1') {
  describe('live containers stack (required by MMDRILL_REQUIRE_CONTAINERS=1)', () => {
    it('finds a container runtime and the local images', () => {
      expect.fail(`the live containers suite cannot run: ${skipReason}`);
    });
  });
}
