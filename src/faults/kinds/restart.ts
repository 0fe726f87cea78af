import { activeFault, defineFaultKind } from '../kind.js';

/** A graceful stop and start (a rolling upgrade, a config reload gone wrong); nothing to undo. */
export const restart = defineFaultKind({
  name: 'restart',
  description: 'Restarts the component gracefully (stop, then start) at the start of the fault.',
  fields: {},
  targets: 'component',
  destructive: true,
  footprint: (_entry, target) => ({
    proxies: [],
    blocksLink: false,
    components: target.type === 'component' ? [target.component] : [],
  }),
  apply: async ({ fault, target, stack }) => {
    if (target.type !== 'component') throw new Error(`restart needs a component, not ${fault.target}`);
    await stack.component(target.component).restart();
    return activeFault([target.component], async () => undefined);
  },
});
