import { UsageError } from '../common/exit-codes.js';
import { loadEnvironmentFile } from '../stack/environment-file.js';
import { DEFAULT_STATE_DIR, requireState, resolveAdminPassword } from '../stack/state.js';
import type { SeedTarget } from './seeder.js';

// Where `mmdrill seed` (and `mmdrill run`) send their requests and as which admin: an `existing`
// environment's URL, or the stack `mmdrill stack up` left running (its state file).

/** The admin password from its environment variable or the state directory's secrets file. */
async function adminPassword(passwordEnv: string, stateDir: string): Promise<string> {
  const { password } = await resolveAdminPassword(passwordEnv, stateDir, () => {
    throw new UsageError(
      `the admin password is unknown: set ${passwordEnv} (or bring the stack up with \`mmdrill stack up\`)`,
    );
  });
  return password;
}

export async function resolveSeedTarget(
  envFile: string | undefined,
  stateDir = DEFAULT_STATE_DIR,
): Promise<SeedTarget> {
  if (envFile !== undefined) {
    const env = await loadEnvironmentFile(envFile, { checkPorts: false });
    if (env.provider === 'existing') {
      return {
        url: env.existing.url.replace(/\/$/, ''),
        admin: {
          username: env.admin.username,
          password: await adminPassword(env.admin.passwordEnv, stateDir),
        },
      };
    }
    const state = await requireState(stateDir);
    if (state.document.name !== env.name) {
      throw new UsageError(
        `the running stack is "${state.document.name}", not "${env.name}" from ${envFile}; bring that one up first`,
      );
    }
  }
  const { document } = await requireState(stateDir);
  return {
    url: document.url,
    admin: {
      username: document.admin.username,
      password: await adminPassword(document.admin.passwordEnv, stateDir),
    },
  };
}
