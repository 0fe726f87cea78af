import type { ConfigIssue } from '../../config/load.js';
import { cutOffEnclave, reconnectEnclave } from '../../stack/native/enclave-link.js';
import { activeFault, defineFaultKind } from '../kind.js';

/**
 * The whole enclave loses every route outside the stack for the duration (DDIL "denied" for the
 * site): outside names go unanswered and connections to outside addresses hang, while everything
 * inside (users, load balancer, app nodes, database, store, Calls) keeps its links. Needs the
 * native stack's egress watch (its DNS sink and kernel rule are the site's way out); target it at
 * the sink, `egress-sink`.
 */
export const enclaveDisconnect = defineFaultKind({
  name: 'enclave-disconnect',
  description:
    'Cuts the whole enclave off from outside the stack: outside names unanswered, outside connections hang (native stack with egressWatch; target egress-sink).',
  fields: {},
  targets: 'component',
  destructive: true,
  validate: (_entry, target) => {
    const issues: ConfigIssue[] = [];
    if (target.type !== 'component' || target.componentKind !== 'egress-sink')
      issues.push({
        path: ['target'],
        message:
          'enclave-disconnect acts on the egress watch: target egress-sink (the environment needs egressWatch.enabled: true)',
      });
    return issues;
  },
  footprint: () => ({ proxies: [], blocksLink: false, components: ['egress-sink'] }),
  apply: async ({ stack }) => {
    const egress = stack.document.egress;
    const sink = stack.document.components.find((c) => c.kind === 'egress-sink');
    if (!egress || sink?.pid === undefined)
      throw new Error('this stack has no egress watch (egressWatch.enabled)');
    const enclave = { table: egress.table, sinkPid: sink.pid };
    cutOffEnclave(enclave);
    return activeFault(['egress-sink'], async () => reconnectEnclave(enclave));
  },
});
