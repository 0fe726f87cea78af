import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel } from '@mattermost/types/channels';
import type { Post } from '@mattermost/types/posts';
import type { Team } from '@mattermost/types/teams';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/common/package-root.js';
import { newClient } from '../../src/mattermost/official-client.js';
import { probeContainerRuntime } from '../../src/stack/containers/runtime-probe.js';
import { loadEnvironmentFile } from '../../src/stack/environment-file.js';
import { StackDocumentSchema } from '../../src/stack/stack-document.js';
import { ToxiproxyClient } from '../../src/stack/toxiproxy-client.js';

// Real Mattermost in containers: runs only where a Docker-compatible runtime answers (and can pull
// or already has the images). Elsewhere — the project's own build machines have no runtime — the
// suite is skipped and its title says why.

const probe = await probeContainerRuntime();
// Testcontainers looks for Docker's socket; point it at the one that answered (e.g. Podman's).
if (probe.available && !process.env.DOCKER_HOST && probe.dockerHost)
  process.env.DOCKER_HOST = probe.dockerHost;
const title = probe.available ? probe.reason : `NOT RUN: ${probe.reason}`;
// The default reporter does not print a skipped suite's title; say it on stderr too.
if (!probe.available) console.warn(`live containers stack ${title}`);

describe(`live containers stack (${title})`, () => {
  it.skipIf(!probe.available)(
    'two app nodes: log in through the users URL, post, read back through the other node; down leaves nothing',
    async () => {
      const { ContainersProvider } = await import('../../src/stack/containers/provider.js');
      const { getContainerRuntimeClient } = await import('testcontainers');
      const env = await loadEnvironmentFile(join(packageRoot(), 'environments', 'containers.yaml'));
      const runDir = await mkdtemp(join(tmpdir(), 'mmdrill-containers-'));
      const password = `Pw-${randomBytes(12).toString('hex')}`;
      const stack = await new ContainersProvider().up(env, { runDir, adminPassword: password });
      try {
        const doc = stack.document;
        expect(Value.Errors(StackDocumentSchema, doc).First()).toBeUndefined();
        expect(JSON.stringify(doc)).not.toContain(password);
        expect(doc.components.map((c) => c.name)).toEqual([
          'postgres-primary',
          'postgres-replica',
          'object-store',
          'toxiproxy',
          'app-1',
          'app-2',
          'nginx',
        ]);

        const admin = newClient(doc.url);
        await admin.login(env.admin.username, password);
        const suffix = randomBytes(4).toString('hex');
        const team: Team = await admin.createTeam({
          name: `drill-${suffix}`,
          display_name: 'Drill',
          type: 'O',
        } as Team);
        const channel: Channel = await admin.createChannel({
          team_id: team.id,
          name: `live-${suffix}`,
          display_name: 'Live',
          type: 'O',
        } as Channel);
        const post: Post = await admin.createPost({
          channel_id: channel.id,
          message: `hello ${suffix}`,
        } as Post);

        // Read back through the other node, directly: the post is in the shared database.
        const direct = newClient(doc.appNodes[1]!.url);
        await direct.login(env.admin.username, password);
        expect((await direct.getPost(post.id)).message).toBe(`hello ${suffix}`);

        const proxies = await new ToxiproxyClient(doc.toxiproxy!).listProxies();
        expect(proxies.map((p) => p.name)).toEqual(
          ['app-db-primary', 'app-db-replica', 'app-object-store', 'lb-app-1', 'lb-app-2', 'users-lb'].sort(),
        );
      } finally {
        await stack.down();
      }
      const docker = (await getContainerRuntimeClient()).container.dockerode;
      const filters = { label: [`org.mmdrill.run-dir=${runDir}`] };
      expect(await docker.listContainers({ all: true, filters })).toEqual([]);
      expect(await docker.listNetworks({ filters })).toEqual([]);
      await rm(runDir, { recursive: true, force: true });
    },
    20 * 60_000,
  );
});
