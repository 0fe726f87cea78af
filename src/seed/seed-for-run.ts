import { PreparationFailure } from '../common/exit-codes.js';
import { RequestTimeoutError } from '../mattermost/http.js';
import { ClientError } from '../mattermost/official-client.js';
import { describeFailure } from '../mattermost/request-failure.js';
import type { StackDocument } from '../stack/stack-document.js';
import { bulkSeed } from './bulk/bulk-seeder.js';
import { credentialsFile, requireCredentials, type SeedCredentials } from './credentials.js';
import { seed } from './seeder.js';
import { defaultSeedMethod, resolveShape } from './shape.js';

export interface SeedForRunOptions {
  /** The scenario's `seed:` (a shape name or file, or 'none'). */
  shape: string;
  /** Whether the load logs users in (anything beyond anonymous pings). */
  needsUsers: boolean;
  stack: StackDocument;
  adminPassword: string;
  stateDir?: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * The credentials a run's users log in with: seeds the scenario's data set (idempotent) and
 * reads them back; with `seed: none`, those an earlier `mmdrill seed` left. Null when the load
 * logs nobody in.
 */
export async function seedForRun(options: SeedForRunOptions): Promise<SeedCredentials | null> {
  const { stack, log } = options;
  if (options.shape === 'none')
    return options.needsUsers ? requireCredentials(credentialsFile('small', options.stateDir)) : null;
  const shape = await resolveShape(options.shape);
  const path = credentialsFile(shape.name, options.stateDir);
  try {
    const seedOptions = {
      target: { url: stack.url, admin: { username: stack.admin.username, password: options.adminPassword } },
      shape,
      credentialsPath: path,
      progress: log,
      ...(options.signal && { signal: options.signal }),
    };
    // The large sets by bulk import, as `mmdrill seed` does: through the API they take hours.
    if (defaultSeedMethod(shape) === 'bulk') await bulkSeed(seedOptions);
    else await seed(seedOptions);
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw asPreparationFailure(err, `seeding data set "${shape.name}" on ${stack.url}`);
  }
  return requireCredentials(path);
}

/**
 * A seeding error as the finding it is: a PreparationFailure (exit 3) when the server refused,
 * failed or did not answer; anything else (mmdrill's own bugs, usage errors) unchanged.
 */
export function asPreparationFailure(err: unknown, step: string): unknown {
  return answeredOrUnreachable(err) ? new PreparationFailure(step, describeFailure(err)) : err;
}

/**
 * Whether an error is the server's doing — an error answer (after the seeder's retries of what is
 * transient), no answer in time, or no connection — rather than a bug of mmdrill's.
 */
function answeredOrUnreachable(err: unknown): boolean {
  if (err instanceof ClientError || err instanceof RequestTimeoutError) return true;
  return err instanceof TypeError && err.message === 'fetch failed';
}
