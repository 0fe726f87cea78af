import type { ProviderName } from './environment.js';
import { ExistingProvider } from './existing/provider.js';
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
