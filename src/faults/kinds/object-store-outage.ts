import type { ConfigIssue } from '../../config/load.js';
import { activeFault, defineFaultKind } from '../kind.js';
import { catalogFromStack, proxiesOf } from '../targets.js';
import { takeLinkDown } from './link-down.js';

/**
 * The object store is unreachable for the duration: its link is taken down when it has a
 * proxy, else the store itself is killed and started again at the end.
 */
export const objectStoreOutage = defineFaultKind({
  name: 'object-store-outage',
  description:
    'Makes the object store unreachable: the app-object-store proxy disabled, or (without one) the store killed; restored at the end.',
  fields: {},
  targets: 'link-or-component',
  destructive: true,
  validate: (_entry, target) => {
    const ok =
      target.type === 'link' ? target.link === 'app-object-store' : target.componentKind === 'object-store';
    const issues: ConfigIssue[] = [];
    if (!ok)
      issues.push({
        path: ['target'],
        message: 'object-store-outage acts on the object store: target app-object-store or object-store',
      });
    return issues;
  },
  footprint: (_entry, target, catalog) => {
    const proxies = proxiesOf('app-object-store', catalog);
    if (proxies.length > 0) return { proxies, blocksLink: true, components: [] };
    return {
      proxies: [],
      blocksLink: false,
      components: target.type === 'component' ? [target.component] : [],
    };
  },
  apply: async (context) => {
    const { stack } = context;
    const proxies = proxiesOf('app-object-store', catalogFromStack(stack.document));
    if (proxies.length > 0) return takeLinkDown(context, proxies);
    const store = stack.document.components.find((c) => c.kind === 'object-store');
    if (!store) throw new Error('this stack has no object store');
    const component = stack.component(store.name);
    await component.kill();
    return activeFault([store.name], () => component.start());
  },
});
