import type { ContainerRuntimeClient } from 'testcontainers';
import { checkDetached } from '../native/detached.js';
import { processState } from '../native/procfs.js';
import type { ComponentHealth, DetachedStack } from '../provider.js';
import type { StackComponent } from '../stack-document.js';

// `mmdrill stack status` for a containers stack another process brought up: the state file has
// container ids, not PIDs, so whether a component runs, is frozen or has stopped comes from the
// runtime; a running one is then asked the way its kind answers (checkDetached). A freeze on a
// runtime without cgroups is a SIGSTOP of the container's main process, which the runtime still
// reports as running: where that process is visible from here (Podman on this host) its state
// tells.

export async function healthOfContainers(
  client: ContainerRuntimeClient,
  stack: DetachedStack,
): Promise<ComponentHealth[]> {
  return Promise.all(stack.document.components.map((c) => healthOfContainer(client, c)));
}

async function healthOfContainer(
  client: ContainerRuntimeClient,
  component: StackComponent,
): Promise<ComponentHealth> {
  const { name, containerId } = component;
  if (!containerId) return checkDetached(component);
  const short = containerId.slice(0, 12);
  let state: { Status?: string; Pid?: number; ExitCode?: number };
  try {
    state = (await client.container.inspect(client.container.getById(containerId))).State;
  } catch (error) {
    const why = (error as { statusCode?: number }).statusCode === 404 ? 'is gone' : String(error);
    return { name, state: 'stopped', healthy: false, detail: `container ${short} ${why}` };
  }
  if (state.Status === 'paused')
    return { name, state: 'frozen', healthy: false, detail: `container ${short} is paused` };
  if (state.Status !== 'running') {
    const detail = `container ${short} is ${state.Status ?? 'unknown'} (exit code ${state.ExitCode ?? '?'})`;
    return { name, state: 'stopped', healthy: false, detail };
  }
  if (state.Pid && processState(state.Pid) === 'T') {
    const detail = `container ${short}: its main process ${state.Pid} is stopped (SIGSTOP)`;
    return { name, state: 'frozen', healthy: false, detail };
  }
  return checkDetached(component);
}
