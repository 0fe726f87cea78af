import { Type } from '@sinclair/typebox';
import { Duration, parseDuration } from '../../config/duration.js';
import { activeFault, defineFaultKind } from '../kind.js';

/**
 * SIGKILL, as a crashed host or an OOM kill. The component is started again after
 * `restartAfter`, or at the end of the fault without it: a fault is always undone.
 */
export const kill = defineFaultKind({
  name: 'kill',
  description: 'Kills the component (SIGKILL); it is started again after restartAfter, or at the end.',
  fields: {
    restartAfter: Type.Optional(
      Duration({
        description:
          'Start the component again this long after the kill (within the fault). Default: at the end of the fault.',
      }),
    ),
  },
  targets: 'component',
  destructive: true,
  timelineFields: ['restartAfter'],
  validate: (entry) =>
    entry.restartAfter !== undefined && parseDuration(entry.restartAfter) > parseDuration(entry.duration)
      ? [
          {
            path: ['restartAfter'],
            message: `restartAfter (${entry.restartAfter}) must not be longer than the fault's duration (${entry.duration})`,
          },
        ]
      : [],
  footprint: (_entry, target) => ({
    proxies: [],
    blocksLink: false,
    components: target.type === 'component' ? [target.component] : [],
  }),
  apply: async ({ fault, target, stack }) => {
    if (target.type !== 'component') throw new Error(`kill needs a component, not ${fault.target}`);
    const component = stack.component(target.component);
    await component.kill();
    let restarting: Promise<void> | undefined;
    const restart = () => {
      restarting ??= component.start().catch((error: unknown) => {
        restarting = undefined; // the removal tries again
        throw error;
      });
      return restarting;
    };
    const after = fault.entry.restartAfter;
    const timer =
      after === undefined
        ? undefined
        : setTimeout(() => void restart().catch(() => undefined), parseDuration(after)).unref();
    return activeFault([target.component], async () => {
      clearTimeout(timer);
      await restart();
    });
  },
});
