import type { ConfigIssue } from '../../config/load.js';
import type { StackDocument } from '../../stack/stack-document.js';
import { activeFault, defineFaultKind } from '../kind.js';
import { catalogFromStack, proxiesOf } from '../targets.js';

/**
 * The primary dies, the replica is promoted, and the app's database endpoint (the
 * app-db-primary proxy) moves to it, as a virtual IP or a managed service's endpoint does.
 * One-way: removal does not fail back, and recovery counts from the start.
 */
export const dbFailover = defineFaultKind({
  name: 'db-failover',
  description:
    'Kills the PostgreSQL primary, promotes the replica and repoints the app-db-primary proxy at it (one-way).',
  fields: {},
  targets: 'component',
  destructive: true,
  recoveryFrom: 'start',
  validate: (_entry, target, catalog) => {
    const issues: ConfigIssue[] = [];
    if (target.type === 'component' && target.componentKind !== 'database')
      issues.push({
        path: ['target'],
        message: `db-failover acts on the database primary (postgres-primary), not ${target.component}`,
      });
    if (!catalog.components.some((c) => c.kind === 'database-replica'))
      issues.push({
        path: ['kind'],
        message:
          'db-failover needs a database replica to promote: set database.replica: true in the environment',
      });
    if (proxiesOf('app-db-primary', catalog).length === 0)
      issues.push({
        path: ['kind'],
        message:
          'db-failover moves the app-db-primary proxy to the promoted replica: the environment needs that link proxied',
      });
    return issues;
  },
  footprint: (_entry, target, catalog) => ({
    proxies: proxiesOf('app-db-primary', catalog),
    blocksLink: false,
    components: [
      ...(target.type === 'component' ? [target.component] : []),
      ...catalog.components.filter((c) => c.kind === 'database-replica').map((c) => c.name),
    ],
  }),
  apply: async ({ fault, target, stack, toxiproxy }) => {
    if (target.type !== 'component') throw new Error(`db-failover needs a component, not ${fault.target}`);
    if (!stack.promoteReplica) throw new Error('this stack has no replica to promote');
    const replicaAddress = replicaAddressOf(stack.document);
    const proxies = proxiesOf('app-db-primary', catalogFromStack(stack.document));
    // Toxiproxy dials upstream inside its accept loop with no timeout, and a repoint waits for
    // that loop. A dial to a killed container's address gets no answer (its network namespace is
    // gone), which held the repoint past the API's 25 s. Closing the proxy before the kill keeps
    // the loop idle; the app's dials in between are refused, as by a dead primary.
    for (const proxy of proxies) await toxiproxy(proxy).disableProxy(proxy);
    await stack.component(target.component).kill();
    await stack.promoteReplica();
    for (const proxy of proxies)
      await toxiproxy(proxy).updateProxy(proxy, { upstream: replicaAddress, enabled: true });
    return activeFault([target.component, ...proxies], async () => undefined);
  },
});

/** host:port the proxies should reach the replica at (as Toxiproxy sees it). */
function replicaAddressOf(document: StackDocument): string {
  const viaProxy = document.proxies.find((p) => p.link === 'app-db-replica');
  if (viaProxy) return viaProxy.upstream;
  const replica = document.components.find((c) => c.kind === 'database-replica');
  if (!replica?.url) throw new Error('the stack document gives no address for the database replica');
  return new URL(replica.url).host;
}
