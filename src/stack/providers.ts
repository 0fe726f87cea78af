import type { ProviderName } from './environment.js';
import { ExistingProvider } from './existing/provider.js';
import { killAllManagedProcesses } from './native/process-registry.js';
import { NativeProvider } from './native/provider.js';
import type { StackProvider } from './provider.js';

/** The provider for an environment. The containers provider (and Testcontainers) loads only when used. */
export async function providerFor(name: ProviderName): Promise<StackProvider> {
  switch (name) {
    case 'native':
      return new NativeProvider();
    case 'existing':
      return new ExistingProvider();
    case 'containers': {
      const { ContainersProvider } = await import('./containers/provider.js');
      return new ContainersProvider();
    }
  }
}

/**
 * Kills every process this harness started, at once, without waiting (a second Ctrl-C). The
 * exit hooks would do it too; calling it first makes the kill happen before anything else.
 */
export function stopStackProcessesNow(): void {
  killAllManagedProcesses();
}
