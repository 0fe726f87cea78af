import { activeFault, defineFaultKind } from '../kind.js';
import { stoppedDescendants } from '../stopped-processes.js';

/**
 * SIGSTOP for the duration, then SIGCONT: the process holds its sockets and answers nothing, as
 * a hung node or a long GC pause. Peers see timeouts rather than refused connections.
 */
export const freeze = defineFaultKind({
  name: 'freeze',
  description: 'Freezes the component (SIGSTOP, or a container pause) for the duration, then thaws it.',
  fields: {},
  targets: 'component',
  destructive: true,
  footprint: (_entry, target) => ({
    proxies: [],
    blocksLink: false,
    components: target.type === 'component' ? [target.component] : [],
  }),
  apply: async ({ fault, target, stack, exitCleanup }) => {
    if (target.type !== 'component') throw new Error(`freeze needs a component, not ${fault.target}`);
    const component = stack.component(target.component);
    const before = stoppedDescendants();
    try {
      await component.freeze();
    } catch (error) {
      await component.thaw().catch(() => undefined);
      throw error;
    }
    // Every process the freeze stopped, for a thaw at exit if the removal never runs.
    const frozen = [...stoppedDescendants()].filter((pid) => !before.has(pid));
    const unregister = exitCleanup.register({ thaw: frozen });
    return activeFault([target.component], async () => {
      await component.thaw();
      unregister();
    });
  },
});
