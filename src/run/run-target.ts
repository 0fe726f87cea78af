import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { loadEnvironmentFile } from '../stack/environment-file.js';
import { createRunDir } from '../stack/native/run-dir.js';
import type { RunningStack } from '../stack/provider.js';
import { providerFor } from '../stack/providers.js';
import type { StackDocument } from '../stack/stack-document.js';
import { readState, resolveAdminPassword } from '../stack/state.js';

// What `run` and `capacity` drive: the stack `mmdrill stack up` left running, an `existing`
// deployment, or a native/containers stack brought up for this run only (and taken down after
// it by the caller, also when interrupted).

export interface RunTarget {
  document: StackDocument;
  adminPassword: string;
  /** Set when the stack was brought up for this run: the caller takes it down. */
  started?: RunningStack;
}

export interface RunTargetOptions {
  env?: string;
  /** The environment file when there is no running stack and `env` is not given. */
  defaultEnvFile: string;
  stateDir: string;
  /** Aborting stops a bring-up half-way (everything it started is stopped). */
  signal?: AbortSignal;
  log: (line: string) => void;
}

export async function resolveRunTarget(options: RunTargetOptions): Promise<RunTarget> {
  const state = await readState(options.stateDir);
  const generate = () => randomBytes(18).toString('base64url');
  if (state && options.env === undefined) {
    const { password } = await resolveAdminPassword(
      state.document.admin.passwordEnv,
      options.stateDir,
      generate,
    );
    return { document: state.document, adminPassword: password };
  }
  const envFile = options.env ?? options.defaultEnvFile;
  // Ports held by a running stack are not "in use" by a stranger.
  const env = await loadEnvironmentFile(envFile, { checkPorts: state === null });
  if (state && state.document.name === env.name) {
    const { password } = await resolveAdminPassword(
      state.document.admin.passwordEnv,
      options.stateDir,
      generate,
    );
    return { document: state.document, adminPassword: password };
  }
  const { password } = await resolveAdminPassword(env.admin.passwordEnv, options.stateDir, generate);
  const provider = await providerFor(env.provider);
  if (env.provider !== 'existing')
    options.log(`no running stack: bringing up ${env.name} (${env.provider}) for this run`);
  const runDir = await createRunDir(`stack-${env.name}-`, resolve(options.stateDir));
  const running = await provider.up(env, {
    runDir,
    adminPassword: password,
    ...(options.signal && { signal: options.signal }),
    progress: (e) => e.phase === 'ready' && options.log(`  ✓ ${e.component}`),
  });
  return {
    document: running.document,
    adminPassword: password,
    ...(env.provider !== 'existing' && { started: running }),
  };
}
