import { newClient } from '../../mattermost/official-client.js';
import type { Environment, LinkName } from '../environment.js';
import { healthOfDetached } from '../native/detached.js';
import type {
  ComponentHealth,
  ControllableComponent,
  DetachedStack,
  RunningStack,
  StackProvider,
  UpOptions,
} from '../provider.js';
import type { StackDocument, StackProxy } from '../stack-document.js';
import { ToxiproxyClient } from '../toxiproxy-client.js';

/**
 * A deployment mmdrill did not start: nothing to bring up or down. `up` checks that the URL
 * answers and the admin can log in, and lists the Toxiproxy proxies the file names (faults go
 * only through those).
 */
export class ExistingProvider implements StackProvider {
  /** Recorded by `stack up`; `stack down` must forget it before another is brought up. */
  stillRunning(): boolean {
    return true;
  }

  status(stack: DetachedStack): Promise<ComponentHealth[]> {
    return healthOfDetached(stack);
  }

  /** Nothing of an existing deployment is mmdrill's to stop. */
  async down(): Promise<void> {}

  async up(env: Environment, options: UpOptions): Promise<RunningStack> {
    if (env.provider !== 'existing') throw new Error(`existing provider given a ${env.provider} environment`);
    const url = env.existing.url.replace(/\/$/, '');
    options.progress?.({ component: 'deployment', phase: 'starting' });
    const t0 = Date.now();
    const client = newClient(url);
    const ping = await client.ping(false).catch((err: unknown) => {
      throw new Error(
        `${url} does not answer /api/v4/system/ping: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    options.progress?.({
      component: 'deployment',
      phase: 'ready',
      ms: Date.now() - t0,
      detail: `${url} (${ping.status})`,
    });
    options.progress?.({ component: 'admin', phase: 'starting' });
    await client.login(env.admin.username, options.adminPassword).catch((err: unknown) => {
      throw new Error(
        `admin "${env.admin.username}" cannot log in to ${url}: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
    options.progress?.({ component: 'admin', phase: 'ready', detail: env.admin.username });

    const proxies: StackProxy[] = [];
    for (const instance of env.existing.toxiproxy) {
      const toxiproxy = new ToxiproxyClient(instance.api);
      for (const [link, names] of Object.entries(instance.links) as [
        LinkName,
        string | string[] | undefined,
      ][]) {
        for (const name of names === undefined ? [] : Array.isArray(names) ? names : [names]) {
          const proxy = await toxiproxy.getProxy(name).catch((err: unknown) => {
            throw new Error(
              `Toxiproxy ${instance.api} has no proxy "${name}" for ${link}: ${err instanceof Error ? err.message : String(err)}`,
            );
          });
          proxies.push({ name, link, listen: proxy.listen, upstream: proxy.upstream });
        }
      }
    }
    const document: StackDocument = {
      version: 1,
      name: env.name,
      provider: 'existing',
      runDir: options.runDir,
      startedAt: new Date().toISOString(),
      url,
      toxiproxy: env.existing.toxiproxy[0]?.api ?? null,
      admin: { username: env.admin.username, passwordEnv: env.admin.passwordEnv },
      appNodes: [],
      proxies,
      components: [],
    };
    return {
      document,
      component(name: string): ControllableComponent {
        throw new Error(
          `"${name}": mmdrill controls no process of an existing deployment; faults go through its Toxiproxy proxies only`,
        );
      },
      down: async () => undefined,
      detach: () => undefined,
    };
  }
}
